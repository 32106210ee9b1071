// Hardening of the workflows: every EventBridge Scheduler schedule has its own dead-letter queue (KMS, TLS only,
// 14 days) with an alarm and an output, a retry policy from the topology, and a role that may send to that one
// queue only; every SQS event source mapping is bounded by its queue's maxConcurrency, so the consumers cannot
// take the account's concurrency from the API functions. One synthesis of the real topology (it has both
// schedule target kinds), without bundling, with cdk-nag, as in stacks.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as topology from '../topology.ts';
import { logicalId, synthesise } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, any> };

let built: ReturnType<typeof synthesise>['built'];
let workflows: Record<string, Resource>;
let workflowsOutputs: Record<string, { Value: unknown; Export?: { Name: string } }>;
let monitoring: Template;

beforeAll(() => {
  ({ built } = synthesise());
  const template = Template.fromStack(built.workflows).toJSON();
  workflows = template.Resources;
  workflowsOutputs = template.Outputs;
  monitoring = Template.fromStack(built.monitoring);
}, 120_000);

/** The CfnSchedule of a topology schedule, found by its description. */
function scheduleOf(name: string): Resource {
  const found = Object.values(workflows).filter(
    (r) => r.Type === 'AWS::Scheduler::Schedule' && r.Properties.Description === `${built.workflows.stackName}: ${name}`,
  );
  expect(found, `schedule ${name}`).toHaveLength(1);
  return found[0]!;
}
/** The logical id of the queue a schedule's DeadLetterConfig points at. */
function dlqIdOf(name: string): string {
  const arn = scheduleOf(name).Properties.Target.DeadLetterConfig?.Arn;
  expect(arn, `${name} DeadLetterConfig.Arn`).toMatchObject({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
  return arn['Fn::GetAtt'][0] as string;
}
const statementsOfRole = (roleId: string) =>
  Object.values(workflows)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
/** The value a cross-stack `Fn::ImportValue` in the monitoring template stands for in the workflows template. */
function exportedByWorkflows(imported: unknown): unknown {
  const name = (imported as { 'Fn::ImportValue': string })['Fn::ImportValue'];
  const found = Object.values(workflowsOutputs).find((o) => o.Export?.Name === name);
  expect(found, `export ${name}`).toBeDefined();
  return found!.Value;
}

describe('schedules', () => {
  it('gives every schedule a dead-letter queue of its own: the stage key, TLS only, kept 14 days, no redrive of its own', () => {
    expect(topology.schedules.length).toBeGreaterThan(0);
    const ids = topology.schedules.map((s) => dlqIdOf(s.name));
    expect(new Set(ids).size, 'one dead-letter queue per schedule').toBe(ids.length);
    // The queue DLQs are encrypted with the data stack's key; the schedule DLQs use the same one.
    const stageKey = workflows[logicalId(built.workflows.queues[0]!.deadLetterQueue)]!.Properties.KmsMasterKeyId;
    expect(stageKey).toBeDefined();
    for (const [i, id] of ids.entries()) {
      const dlq = workflows[id]!;
      expect(dlq.Type).toBe('AWS::SQS::Queue');
      expect(dlq.Properties, topology.schedules[i]!.name).toMatchObject({ KmsMasterKeyId: stageKey, MessageRetentionPeriod: 14 * 24 * 3600 });
      expect(dlq.Properties.RedrivePolicy).toBeUndefined();
      const policies = Object.values(workflows).filter(
        (r) => r.Type === 'AWS::SQS::QueuePolicy' && JSON.stringify(r.Properties.Queues) === JSON.stringify([{ Ref: id }]),
      );
      expect(policies).toHaveLength(1);
      // TLS only, and the queue policy grants nothing: the scheduler's role is what may send (identity policy).
      expect(policies[0]!.Properties.PolicyDocument.Statement).toEqual([
        expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]);
      expect(JSON.stringify(dlq.Metadata?.cdk_nag?.rules_to_suppress ?? []), 'SQS3 suppressed on the DLQ itself').toContain('AwsSolutions-SQS3');
    }
  });

  it("states every schedule's retry policy from the topology, within Scheduler's limits; the minutely job never retries past its next run", () => {
    for (const definition of topology.schedules) {
      const retry = definition.retry;
      expect(retry, `${definition.name} states its retry policy`).toBeDefined();
      expect(scheduleOf(definition.name).Properties.Target.RetryPolicy, definition.name).toEqual({
        MaximumRetryAttempts: retry.maximumRetryAttempts,
        MaximumEventAgeInSeconds: retry.maximumEventAgeSeconds,
      });
      expect(retry.maximumRetryAttempts).toBeGreaterThanOrEqual(0);
      expect(retry.maximumRetryAttempts).toBeLessThanOrEqual(185);
      expect(retry.maximumEventAgeSeconds).toBeGreaterThanOrEqual(60);
      expect(retry.maximumEventAgeSeconds).toBeLessThanOrEqual(86_400);
      if (definition.cron.startsWith('cron(* ')) expect(retry.maximumEventAgeSeconds, `${definition.name} runs every minute`).toBe(60);
    }
  });

  it('lets each scheduler role start its target and send to its own dead-letter queue, with the key only through SQS, nothing more', () => {
    for (const definition of topology.schedules) {
      const schedule = scheduleOf(definition.name);
      const roleId = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0] as string;
      const dlqId = dlqIdOf(definition.name);
      const stageKey = workflows[dlqId]!.Properties.KmsMasterKeyId;
      const targetAction = 'stateMachine' in definition.target ? 'states:StartExecution' : 'lambda:InvokeFunction';
      expect(statementsOfRole(roleId), definition.name).toEqual([
        { Action: targetAction, Effect: 'Allow', Resource: schedule.Properties.Target.Arn },
        { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        // SQS encrypts with the queue's key on the sender's behalf: the sender needs these two actions on it.
        {
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Effect: 'Allow',
          Resource: stageKey,
          Condition: { StringEquals: { 'kms:ViaService': `sqs.${built.workflows.region}.amazonaws.com` } },
        },
      ]);
    }
    // No other role of the stack may send to a schedule's dead-letter queue.
    const dlqIds = new Set(topology.schedules.map((s) => dlqIdOf(s.name)));
    const roleIds = new Set(topology.schedules.map((s) => scheduleOf(s.name).Properties.Target.RoleArn['Fn::GetAtt'][0] as string));
    for (const policy of Object.values(workflows).filter((r) => r.Type === 'AWS::IAM::Policy')) {
      if (policy.Properties.Roles.some((r: { Ref: string }) => roleIds.has(r.Ref))) continue;
      for (const id of dlqIds)
        expect(JSON.stringify(policy.Properties.PolicyDocument), `${JSON.stringify(policy.Properties.Roles)} and ${id}`).not.toContain(`"${id}"`);
    }
  });

  it('alarms to the topic as soon as a schedule dead-letter queue holds a message, and outputs its URL', () => {
    const topic = { Ref: logicalId(built.monitoring.topic) };
    for (const definition of topology.schedules) {
      const name = `schedule-${definition.name}-dlq-not-empty`;
      const alarm = built.monitoring.alarms.get(name);
      expect(alarm, name).toBeDefined();
      const properties = monitoring.toJSON().Resources[logicalId(alarm!)].Properties;
      expect(properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic],
        OKActions: [topic],
      });
      expect(properties.AlarmDescription).toMatch(new RegExp(`^test ${name}: `));
      expect(exportedByWorkflows(properties.Dimensions[0].Value)).toEqual({ 'Fn::GetAtt': [dlqIdOf(definition.name), 'QueueName'] });
      const output = Object.entries(workflowsOutputs).find(([, o]) => JSON.stringify(o.Value) === JSON.stringify({ Ref: dlqIdOf(definition.name) }));
      expect(output?.[0], `${definition.name} DLQ URL output`).toMatch(/DeadLetterQueueUrl$/);
    }
  });
});

describe('concurrency', () => {
  it("bounds every SQS event source mapping by its queue's maxConcurrency, with no reserved concurrency on the consumers", () => {
    const mappings = Object.values(workflows).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(topology.queues.length);
    for (const mapping of mappings)
      expect(mapping.Properties.ScalingConfig?.MaximumConcurrency, JSON.stringify(mapping.Properties.EventSourceArn)).toBeGreaterThanOrEqual(2);
    for (const { definition, queue } of built.workflows.queues) {
      expect(definition.maxConcurrency, definition.id).toBeGreaterThanOrEqual(2);
      const mapping = mappings.find((m) => JSON.stringify(m.Properties.EventSourceArn) === JSON.stringify({ 'Fn::GetAtt': [logicalId(queue), 'Arn'] }));
      expect(mapping?.Properties.ScalingConfig, definition.id).toEqual({ MaximumConcurrency: definition.maxConcurrency });
      // Reserved concurrency would throttle the poller's invocations, and throttled receives count towards
      // maxReceiveCount: messages would reach the DLQ without having failed.
      const consumer = built.workflows.functions.find((fn) => fn.name === `consumer-${definition.id}`)!;
      expect(workflows[logicalId(consumer.function)]!.Properties.ReservedConcurrentExecutions, definition.id).toBeUndefined();
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unsuppressed errors or warnings in any stack', () => {
    for (const stack of built.stacks) {
      const annotations = Annotations.fromStack(stack);
      const findings = [...annotations.findError('*', Match.anyValue()), ...annotations.findWarning('*', Match.anyValue())];
      expect(
        findings.map((x) => `${x.id}: ${String(x.entry.data).split('\n')[0]}`),
        stack.stackName,
      ).toEqual([]);
    }
  });
});
