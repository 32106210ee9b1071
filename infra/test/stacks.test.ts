// The CDK stacks, synthesised without bundling: resource properties, every route of every routes.ts in the
// HTTP API with the right function and authorizer, queues with DLQs and alarms, and cdk-nag with no findings.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../build.ts';
import * as topology from '../topology.ts';
import { tableDefinition } from '../../shared/data/table.ts';

let built: ReturnType<typeof buildApp>;
let templates: { data: Template; workflows: Template; api: Template; monitoring: Template };

function synthesise(context: Record<string, unknown> = {}, options: Parameters<typeof buildApp>[1] = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], stage: 'test', oidcIssuer: 'https://issuer.example', oidcAudience: 'werkplekduaal', mailFrom: 'noreply@werkplekduaal.example', allowedOrigins: 'https://portal.example', ...context } });
  return buildApp(app, options);
}

beforeAll(() => {
  built = synthesise();
  templates = { data: Template.fromStack(built.data), workflows: Template.fromStack(built.workflows), api: Template.fromStack(built.api), monitoring: Template.fromStack(built.monitoring) };
}, 120_000);

describe('data stack', () => {
  it('has the one table from the definition: PITR, deletion protection, customer-managed KMS, TTL, the GSIs', () => {
    templates.data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLive, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      GlobalSecondaryIndexes: tableDefinition.globalIndexes.map((i) => Match.objectLike({ IndexName: i.name, KeySchema: [{ AttributeName: i.partitionKey, KeyType: 'HASH' }, { AttributeName: i.sortKey, KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } })),
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true })],
    });
    templates.data.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
  });

  it('encrypts, versions and locks down the document buckets', () => {
    const buckets = templates.data.findResources('AWS::S3::Bucket', { Properties: { VersioningConfiguration: { Status: 'Enabled' } } });
    expect(Object.keys(buckets)).toHaveLength(topology.buckets.length);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    }
    templates.data.hasResourceProperties('AWS::S3::BucketPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
  });
});

describe('api stack', () => {
  it('has every route of every routes.ts, on its own context function, with the JWT authorizer unless public', () => {
    const routes = templates.api.findResources('AWS::ApiGatewayV2::Route');
    const integrations = templates.api.findResources('AWS::ApiGatewayV2::Integration');
    const byKey = new Map(Object.values(routes).map((r) => [r.Properties.RouteKey, r.Properties]));
    const expected = topology.allRoutes();
    expect(byKey.size).toBe(expected.length);
    for (const { context, route } of expected) {
      const found = byKey.get(`${route.method} ${route.path}`);
      expect(found, `${route.method} ${route.path}`).toBeDefined();
      expect(found.AuthorizationType).toBe(route.auth.kind === 'public' ? 'NONE' : 'JWT');
      const integrationId = String(found.Target['Fn::Join'][1][1].Ref);
      const uri = JSON.stringify(integrations[integrationId]!.Properties.IntegrationUri);
      expect(uri, `${route.method} ${route.path} -> api-${context.name}`).toContain(`api${context.name}`);
    }
    templates.api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', JwtConfiguration: { Issuer: 'https://issuer.example', Audience: ['werkplekduaal'] } });
  });

  it('runs every function on nodejs24.x and arm64 with the configuration environment', () => {
    const functions = Object.values(templates.api.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBe(topology.apiContexts.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(expect.arrayContaining(['STAGE', 'TABLE_NAME', 'DOCUMENTS_BUCKET', 'KBO_INBOX_BUCKET', 'NOTIFICATIONS_QUEUE_URL', 'RECOGNITION_REVIEW_ARN', 'OIDC_ISSUER', 'OIDC_AUDIENCE', 'MAIL_FROM']));
    }
  });
});

describe('workflows stack', () => {
  it('gives every queue a dead-letter queue with its maxReceiveCount, and a consumer with partial batch failures', () => {
    for (const queue of topology.queues) {
      templates.workflows.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { maxReceiveCount: queue.maxReceiveCount }, VisibilityTimeout: queue.visibilityTimeoutSeconds });
    }
    templates.workflows.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: topology.queues[0]!.batchSize });
  });

  it('deploys each state machine from its ASL file with the task functions substituted', () => {
    templates.workflows.resourceCountIs('AWS::StepFunctions::StateMachine', topology.stateMachines.length);
    const machine = Object.values(templates.workflows.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    expect(Object.keys(machine.Properties.DefinitionSubstitutions).sort()).toEqual(Object.keys(topology.stateMachines[0]!.functions).sort());
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('creates schedules in Europe/Brussels for state machine and function targets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asl-'));
    writeFileSync(join(dir, 'tick.asl.json'), JSON.stringify({ StartAt: 'Tick', States: { Tick: { Type: 'Task', Resource: '${TickFunction}', End: true } } }));
    const fn = { entry: 'functions/notifications/consumer.ts', handler: 'handler' };
    const test = synthesise({ stage: 'fixture' }, {
      stateMachineDirectory: dir,
      topology: {
        ...topology,
        stateMachines: [{ name: 'tick', arnVariable: 'RECOGNITION_REVIEW_ARN', file: 'tick.asl.json', functions: { TickFunction: fn } }],
        schedules: [
          { name: 'weekly-tick', cron: 'cron(0 3 ? * MON *)', timezone: 'Europe/Brussels', target: { stateMachine: 'tick' } },
          { name: 'daily-job', cron: 'cron(0 6 * * ? *)', timezone: 'Europe/Brussels', target: { function: fn } },
        ],
      },
    });
    const template = Template.fromStack(test.workflows);
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 3 ? * MON *)', ScheduleExpressionTimezone: 'Europe/Brussels' });
  });
});

describe('monitoring stack', () => {
  it('alarms on every function, the API 5xx and every dead-letter queue', () => {
    const alarms = Object.values(templates.monitoring.findResources('AWS::CloudWatch::Alarm'));
    const functionCount = topology.apiContexts.length + topology.queues.length + topology.stateMachines.reduce((n, m) => n + Object.keys(m.functions).length, 0) + topology.schedules.filter((s) => 'function' in s.target).length;
    expect(alarms.length).toBe(functionCount * 2 + 1 + topology.queues.length);
    expect(alarms.filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(topology.queues.length);
    expect(alarms.every((a) => a.Properties.AlarmActions?.length === 1)).toBe(true);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unsuppressed errors or warnings in any stack', () => {
    for (const stack of built.stacks) {
      const findings = [...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')), ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))];
      expect(findings.map((f) => `${f.id}: ${String(f.entry.data).split('\n')[0]}`), stack.stackName).toEqual([]);
    }
  });

  it('refuses to synthesise a real stage without its issuer, audience and sender', () => {
    expect(() => buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], stage: 'prod' } }))).toThrow(/oidcIssuer/);
  });
});
