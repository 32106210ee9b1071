// Builds the four stacks of one stage into an app. app.ts uses it for `cdk synth/deploy`, the infra tests
// directly (with bundling skipped and, where they need it, a test topology).
import { Tags, type App } from 'aws-cdk-lib';
import * as topology from '../topology.ts';
import { functionAccess, type AccessCatalogue } from './access.ts';
import { ApiStack } from './api-stack.ts';
import { DataStack } from './data-stack.ts';
import { MonitoringStack } from './monitoring-stack.ts';
import { readSettings } from './settings.ts';
import { WorkflowsStack } from './workflows-stack.ts';

export type Topology = Pick<typeof topology, 'apiContexts' | 'queues' | 'buckets' | 'stateMachines' | 'schedules'>;

export type StageOptions = {
  topology?: Topology;
  access?: AccessCatalogue;
  /** Where the ASL files are; defaults to state-machines/. */
  stateMachineDirectory?: string;
};

export function buildStage(app: App, options: StageOptions = {}) {
  const t = options.topology ?? topology;
  const access = options.access ?? functionAccess;
  const settings = readSettings(app);
  const prefix = `werkplekduaal-${settings.stage}`;
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-1' };

  const data = new DataStack(app, `${prefix}-data`, {
    env,
    description: `werkplekduaal ${settings.stage}: table, documents and KBO inbox buckets`,
    bucketDefinitions: t.buckets,
    allowedOrigins: settings.allowedOrigins,
  });
  const stored = { table: data.table, hmacKey: data.hmacKey, buckets: data.buckets, bucketDefinitions: t.buckets, stateMachineDefinitions: t.stateMachines };
  // Queues live with their consumers; the API stack receives them, so producers' grants point one way only.
  const workflows = new WorkflowsStack(app, `${prefix}-workflows`, {
    env,
    description: `werkplekduaal ${settings.stage}: queues, consumers, state machines and schedules`,
    settings,
    key: data.key,
    resources: stored,
    queueDefinitions: t.queues,
    scheduleDefinitions: t.schedules,
    access,
    ...(options.stateMachineDirectory ? { stateMachineDirectory: options.stateMachineDirectory } : {}),
  });
  const api = new ApiStack(app, `${prefix}-api`, {
    env,
    description: `werkplekduaal ${settings.stage}: HTTP API and its functions`,
    settings,
    resources: { ...stored, queues: workflows.queues },
    contexts: t.apiContexts,
    access,
  });
  const monitoring = new MonitoringStack(app, `${prefix}-monitoring`, {
    env,
    description: `werkplekduaal ${settings.stage}: alarms and dashboard`,
    stage: settings.stage,
    alarmEmail: settings.alarmEmail,
    api: api.api,
    functions: [...api.functions, ...workflows.functions],
    deadLetterQueues: workflows.queues.map((q) => ({ id: q.definition.id, queue: q.deadLetterQueue })),
    scheduleDeadLetterQueues: workflows.schedules.map((s) => ({ name: s.definition.name, queue: s.deadLetterQueue })),
    stateMachines: workflows.stateMachines.map((m) => ({ name: m.definition.name, machine: m.machine })),
  });

  const stacks = [data, workflows, api, monitoring];
  for (const stack of stacks) {
    Tags.of(stack).add('project', 'werkplekduaal');
    Tags.of(stack).add('stage', settings.stage);
  }
  return { settings, data, workflows, api, monitoring, stacks };
}
