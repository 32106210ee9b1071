// Builds the stacks of one stage into an app; app.ts uses it for `cdk synth/deploy`, the infra tests directly.
import { App, Aspects, Tags } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag';
import * as topology from './topology.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { MonitoringStack } from './stacks/monitoring-stack.ts';
import { readSettings } from './stacks/settings.ts';
import { WorkflowsStack } from './stacks/workflows-stack.ts';

export type Topology = Pick<typeof topology, 'apiContexts' | 'queues' | 'buckets' | 'stateMachines' | 'schedules'>;

export function buildApp(app: App, options: { topology?: Topology; stateMachineDirectory?: string } = {}) {
  const t = options.topology ?? topology;
  const settings = readSettings(app);
  const prefix = `werkplekduaal-${settings.stage}`;
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-1' };
  const data = new DataStack(app, `${prefix}-data`, { env, allowedOrigins: settings.allowedOrigins, description: 'werkplekduaal: table, documents and KBO inbox buckets' });
  const workflows = new WorkflowsStack(app, `${prefix}-workflows`, {
    env, settings, table: data.table, key: data.key, buckets: data.buckets, bucketDefinitions: t.buckets,
    queueDefinitions: t.queues, stateMachineDefinitions: t.stateMachines, scheduleDefinitions: t.schedules,
    ...(options.stateMachineDirectory ? { stateMachineDirectory: options.stateMachineDirectory } : {}),
    description: 'werkplekduaal: queues, consumers, state machines and schedules',
  });
  const api = new ApiStack(app, `${prefix}-api`, {
    env, settings, table: data.table, buckets: data.buckets, bucketDefinitions: t.buckets, queues: workflows.queues, stateMachineDefinitions: t.stateMachines, contexts: t.apiContexts,
    description: 'werkplekduaal: HTTP API and its functions',
  });
  const monitoring = new MonitoringStack(app, `${prefix}-monitoring`, {
    env, stage: settings.stage, alarmEmail: settings.alarmEmail, key: data.key, api: api.api,
    functions: [...Object.entries(api.functions).map(([id, fn]) => ({ id: `api-${id}`, fn })), ...workflows.functions.map((fn) => ({ id: fn.node.scope!.node.id, fn }))],
    deadLetterQueues: workflows.queues.map((q) => ({ id: q.definition.id, queue: q.deadLetterQueue })),
    description: 'werkplekduaal: alarms and dashboard',
  });
  const stacks = [data, workflows, api, monitoring];
  for (const stack of stacks) {
    Tags.of(stack).add('project', 'werkplekduaal');
    Tags.of(stack).add('stage', settings.stage);
    // Reasons for the cdk-nag findings we accept, in one place.
    NagSuppressions.addStackSuppressions(stack, [
      { id: 'AwsSolutions-IAM4', reason: 'Lambda functions use the AWS managed AWSLambdaBasicExecutionRole only to write their own logs.', appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] },
      { id: 'AwsSolutions-IAM5', reason: 'Wildcards come from CDK grant methods scoped to one table (its indexes), one bucket (its objects), one key (GenerateDataKey*/ReEncrypt*) and X-Ray, which has no resource-level permissions.' },
      { id: 'AwsSolutions-L1', reason: 'Functions run on nodejs24.x, the newest Node.js LTS runtime; custom-resource helpers CDK adds are managed by CDK.' },
      { id: 'AwsSolutions-APIG4', reason: 'Every route has the JWT authorizer except the public workplace search, which the design makes public on purpose.' },
      { id: 'AwsSolutions-APIG1', reason: 'Access logging is configured on the $default stage through its CfnStage.' },
    ]);
  }
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { settings, data, workflows, api, monitoring, stacks };
}
