// The CDK stacks, synthesised with bundling skipped and the context of cdk.json: resource properties, every
// route of every routes.ts in the HTTP API on the right function with the right authorizer, queues with
// their DLQs and alarms, least-privilege grants, and cdk-nag (AwsSolutions) with no findings.
// A second, fixture synthesis adds a state machine from a temporary ASL file, schedules with both target
// kinds and bucket expirations, because the real lists may be short or empty.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { configSchema } from '../../shared/config.ts';
import { clientRate } from '../../shared/data/keys.ts';
import { tableDefinition } from '../../shared/data/table.ts';
import { repositoryRoot, type AppFunction } from '../constructs/function.ts';
import { functionAccess } from '../stacks/access.ts';
import { corsAllowHeaders, machineRouteThrottle } from '../stacks/api-stack.ts';
import { noncurrentVersionDays } from '../stacks/data-stack.ts';
import { buildStage, type StageOptions, type Topology } from '../stacks/stage.ts';
import * as topology from '../topology.ts';
import { cdkContext, synthesise as synthesiseStage, testContext } from './synth.ts';

const synthesise = (context: Record<string, unknown> = {}, options: StageOptions = {}) => synthesiseStage(context, options).built;

type Built = ReturnType<typeof synthesise>;
type Templates = { data: Template; workflows: Template; api: Template; monitoring: Template };
const templatesOf = (b: Built): Templates => ({
  data: Template.fromStack(b.data),
  workflows: Template.fromStack(b.workflows),
  api: Template.fromStack(b.api),
  monitoring: Template.fromStack(b.monitoring),
});

const logicalId = (construct: IConstruct): string => {
  const cfn = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(cfn).getLogicalId(cfn);
};
const fnId = (fn: AppFunction) => logicalId(fn.function);

/** The value a cross-stack `Fn::ImportValue` in a consumer template stands for in the producer template. */
function exported(producer: Template, imported: unknown): unknown {
  const name = (imported as { 'Fn::ImportValue': string })['Fn::ImportValue'];
  const outputs = producer.toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>;
  const found = Object.values(outputs).find((o) => o.Export?.Name === name);
  expect(found, `export ${name}`).toBeDefined();
  return found!.Value;
}

/** Every statement of the policies attached to a function's role, flattened. */
function statementsOf(template: Template, fn: AppFunction): { Action: string | string[]; Resource: unknown }[] {
  const roleId = logicalId(fn.function.role!);
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}
const actionsOf = (template: Template, fn: AppFunction) => statementsOf(template, fn).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

const fixtureEntry = { entry: 'functions/recognitions/daily-lambda.ts', handler: 'handler' };
function fixtureTopology(): { topology: Topology; stateMachineDirectory: string } {
  const dir = mkdtempSync(join(tmpdir(), 'werkplekduaal-asl-'));
  writeFileSync(join(dir, 'tick.asl.json'), JSON.stringify({ StartAt: 'Tick', States: { Tick: { Type: 'Task', Resource: '${TickFunction}', End: true } } }));
  for (const machine of topology.stateMachines) writeFileSync(join(dir, machine.file), readFileSync(join(repositoryRoot, 'state-machines', machine.file)));
  return {
    stateMachineDirectory: dir,
    topology: {
      apiContexts: topology.apiContexts,
      queues: topology.queues,
      buckets: topology.buckets.map((b) =>
        b.id === 'kboInbox'
          ? {
              ...b,
              expirations: [
                { prefix: 'processed/', days: 30 },
                { prefix: 'failed/', days: 90 },
              ],
            }
          : b,
      ),
      stateMachines: [
        ...topology.stateMachines,
        { name: 'tick', arnVariable: 'RECOGNITION_REVIEW_ARN', file: 'tick.asl.json', functions: { TickFunction: fixtureEntry } },
      ],
      schedules: [
        ...topology.schedules,
        {
          name: 'weekly-tick',
          cron: 'cron(0 3 ? * MON *)',
          timezone: 'Europe/Brussels',
          target: { stateMachine: 'tick' },
          retry: { maximumRetryAttempts: 10, maximumEventAgeSeconds: 7200 },
        },
        {
          name: 'nightly-job',
          cron: 'cron(0 1 * * ? *)',
          timezone: 'Europe/Brussels',
          target: { function: fixtureEntry },
          retry: { maximumRetryAttempts: 10, maximumEventAgeSeconds: 7200 },
        },
      ],
    },
  };
}

let real: Built;
let t: Templates;
const fixtureSetup = fixtureTopology();
let fixture: Built;
let f: Templates;

beforeAll(() => {
  real = synthesise();
  t = templatesOf(real);
  fixture = synthesise({ stage: 'fixture', alarmEmail: 'ops@werkplekduaal.example' }, fixtureSetup);
  f = templatesOf(fixture);
}, 120_000);

afterAll(() => rmSync(fixtureSetup.stateMachineDirectory, { recursive: true, force: true }));

describe('stage', () => {
  it('prefixes every stack with the stage', () => {
    expect(real.stacks.map((s) => s.stackName)).toEqual([
      'werkplekduaal-test-data',
      'werkplekduaal-test-workflows',
      'werkplekduaal-test-api',
      'werkplekduaal-test-monitoring',
    ]);
  });

  it('hard-codes no physical names, except the stage-prefixed state machine names', () => {
    const nameProperties = [
      'TableName',
      'BucketName',
      'QueueName',
      'FunctionName',
      'RoleName',
      'LogGroupName',
      'TopicName',
      'DashboardName',
      'AlarmName',
      'AliasName',
    ];
    for (const template of Object.values(f)) {
      for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>)) {
        // A literal string is a fixed name; a Ref or GetAtt points at a generated one.
        for (const property of nameProperties) expect(typeof resource.Properties?.[property], `${id}.${property}`).not.toBe('string');
        if (resource.Type === 'AWS::Scheduler::Schedule') expect(resource.Properties?.Name, id).toBeUndefined();
        if (resource.Type === 'AWS::StepFunctions::StateMachine') expect(resource.Properties?.StateMachineName).toMatch(/^werkplekduaal-fixture-/);
      }
    }
  });

  it('synthesises dev offline with placeholders, and refuses another stage without issuer, audience, sender or department address', () => {
    const dev = buildStage(new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } }));
    expect(dev.settings.stage).toBe('dev');
    expect(dev.settings.oidcIssuer).toMatch(/\.invalid$/);
    expect(dev.settings.portalUrl).toMatch(/^https:\/\/.*\.invalid$/);
    for (const key of ['oidcIssuer', 'oidcAudience', 'mailFrom', 'departmentEmail', 'portalUrl']) {
      const context: Record<string, unknown> = { ...cdkContext, ...testContext, 'aws:cdk:bundling-stacks': [], stage: 'prod' };
      delete context[key];
      expect(() => buildStage(new App({ context })), key).toThrow(new RegExp(`"${key}" is required for stage "prod"`));
    }
    expect(() => buildStage(new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [], stage: 'prod' } }))).toThrow(
      'Context values "oidcIssuer", "oidcAudience", "mailFrom", "departmentEmail", "portalUrl" are required for stage "prod"',
    );
  });

  it('refuses values the functions would refuse at cold start', () => {
    const attempt = (context: Record<string, unknown>) => () =>
      buildStage(new App({ context: { ...cdkContext, ...testContext, 'aws:cdk:bundling-stacks': [], ...context } }));
    expect(attempt({ mailFrom: 'not-an-address' })).toThrow(/MAIL_FROM/);
    expect(attempt({ oidcIssuer: 'issuer' })).toThrow(/OIDC_ISSUER/);
    expect(attempt({ stage: 'Prod_1' })).toThrow(/STAGE/);
    expect(attempt({ allowedOrigins: 'https://portal.example/path' })).toThrow(/allowedOrigins/);
    expect(attempt({ alarmEmail: 'ops' })).toThrow(/alarmEmail/);
    expect(attempt({ 'schedule.kbo-sync': 'every monday' })).toThrow(/schedule\.kbo-sync/);
  });

  it('refuses a portal URL that e-mails could not link into, naming the context value', () => {
    const attempt = (portalUrl: string) => () => buildStage(new App({ context: { ...cdkContext, ...testContext, 'aws:cdk:bundling-stacks': [], portalUrl } }));
    // http is for a portal on localhost, which only the local stage has.
    for (const bad of ['portal.example', 'http://portal.example', 'http://localhost:5173', 'https://portal.example/', 'https://portal.example?tab=1'])
      expect(attempt(bad), bad).toThrow(new RegExp(`portalUrl: "${bad.replace(/[.?/]/g, '\\$&')}" is not the portal's https URL`));
    expect(attempt('https://portal.example/loket')().settings.portalUrl).toBe('https://portal.example/loket');
  });

  it("lets a stage replace a schedule's expression (the KBO sync is weekly by default)", () => {
    const built = buildStage(
      new App({ context: { ...cdkContext, ...testContext, 'aws:cdk:bundling-stacks': [], 'schedule.kbo-sync': 'cron(0 4 ? * 2-6 *)' } }),
    );
    const expressions = Object.values(Template.fromStack(built.workflows).findResources('AWS::Scheduler::Schedule')).map(
      (r) => r.Properties.ScheduleExpression,
    );
    expect(expressions).toContain('cron(0 4 ? * 2-6 *)');
    expect(expressions).not.toContain('cron(0 3 ? * 2 *)');
  });
});

describe('data stack', () => {
  it('has the one table from shared/data/table.ts: on demand, PITR, deletion protection, customer-managed key, TTL, the GSIs with ALL projection', () => {
    t.data.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    const keyId = logicalId(real.data.key);
    t.data.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLive, Enabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        GlobalSecondaryIndexes: tableDefinition.globalIndexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
            SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
          }),
        ],
      },
    });
    const attributes = t.data.findResources('AWS::DynamoDB::GlobalTable');
    const definitions = Object.values(attributes)[0]!.Properties.AttributeDefinitions as { AttributeName: string; AttributeType: string }[];
    const expected = [tableDefinition.partitionKey, tableDefinition.sortKey, ...tableDefinition.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    expect(definitions.map((d) => d.AttributeName).sort()).toEqual([...expected].sort());
    expect(definitions.every((d) => d.AttributeType === 'S')).toBe(true);
  });

  it('rotates the customer-managed key and keeps it when the stack goes', () => {
    t.data.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
  });

  it('encrypts, versions, logs and locks down every bucket of the topology, with its lifecycle', () => {
    for (const built of [real, fixture]) {
      const template = Template.fromStack(built.data);
      const definitions = built === real ? topology.buckets : fixtureSetup.topology.buckets;
      const keyId = logicalId(built.data.key);
      for (const definition of definitions) {
        const bucket = built.data.buckets[definition.id];
        const id = logicalId(bucket);
        const resource = template.toJSON().Resources[id];
        expect(resource, definition.id).toMatchObject({
          DeletionPolicy: 'Retain',
          Properties: {
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [
                { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } },
              ],
            },
            VersioningConfiguration: { Status: 'Enabled' },
            PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
            LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/^AccessLogs/) }, LogFilePrefix: `${definition.id}/` },
          },
        });
        const rules = resource.Properties.LifecycleConfiguration.Rules as Record<string, unknown>[];
        expect(rules).toContainEqual(expect.objectContaining({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: noncurrentVersionDays } }));
        for (const expiration of definition.expirations) {
          expect(rules).toContainEqual(expect.objectContaining({ Status: 'Enabled', Prefix: expiration.prefix, ExpirationInDays: expiration.days }));
        }
        expect(rules).toHaveLength(definition.expirations.length + 1);
        template.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: id },
          PolicyDocument: {
            Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
          },
        });
      }
    }
    expect(fixtureSetup.topology.buckets.some((b) => b.expirations.length > 0)).toBe(true);
  });

  it('lets the portal origins upload documents with a presigned POST', () => {
    const documents = t.data.toJSON().Resources[logicalId(real.data.buckets.documents)];
    expect(documents.Properties.CorsConfiguration).toMatchObject({
      CorsRules: [{ AllowedMethods: ['POST', 'GET'], AllowedOrigins: ['https://portal.example', 'https://admin.portal.example'] }],
    });
  });
});

describe('api stack', () => {
  it('sends any other method and path to a function (404 route-not-found problem+json) through a $default route without an authorizer', () => {
    const defaults = Object.values(t.api.findResources('AWS::ApiGatewayV2::Route')).filter((r) => r.Properties.RouteKey === '$default');
    expect(defaults).toHaveLength(1);
    expect(defaults[0]!.Properties).toMatchObject({ AuthorizationType: 'NONE', Target: expect.anything() });
  });

  it('has exactly one route per entry of every routes.ts, on its context function, JWT unless public', () => {
    // Besides these, the $default route answers 404 for any other path (test above).
    const routes = Object.values(t.api.findResources('AWS::ApiGatewayV2::Route')).filter((r) => r.Properties.RouteKey !== '$default');
    const integrations = t.api.findResources('AWS::ApiGatewayV2::Integration');
    const authorizerId = Object.keys(t.api.findResources('AWS::ApiGatewayV2::Authorizer'))[0];
    const byKey = new Map(routes.map((r) => [r.Properties.RouteKey as string, r.Properties]));
    const expected = topology.allRoutes();
    expect(routes).toHaveLength(expected.length);
    expect(byKey.size).toBe(expected.length);
    for (const { context, route } of expected) {
      const key = `${route.method} ${route.path}`;
      const found = byKey.get(key);
      expect(found, key).toBeDefined();
      const integrationId = found.Target['Fn::Join'][1][1].Ref as string;
      const fn = real.api.functions.find((x) => x.name === `api-${context.name}`)!;
      expect(integrations[integrationId]!.Properties.IntegrationUri, `${key} -> api-${context.name}`).toEqual({ 'Fn::GetAtt': [fnId(fn), 'Arn'] });
      if (route.auth.kind === 'public') {
        expect(found.AuthorizationType, key).toBe('NONE');
        expect(found.AuthorizerId, key).toBeUndefined();
      } else {
        expect(found.AuthorizationType, key).toBe('JWT');
        expect(found.AuthorizerId, key).toEqual({ Ref: authorizerId });
      }
    }
  });

  it('has one function per context, named api-<context>, allowed to be invoked by this API only', () => {
    expect(real.api.functions.map((fn) => fn.name)).toEqual(topology.apiContexts.map((c) => `api-${c.name}`));
    t.api.resourceCountIs('AWS::Lambda::Function', topology.apiContexts.length);
    const apiId = logicalId(real.api.api);
    for (const fn of real.api.functions) {
      const permissions = Object.values(t.api.findResources('AWS::Lambda::Permission', { Properties: { FunctionName: { 'Fn::GetAtt': [fnId(fn), 'Arn'] } } }));
      // One permission per function keeps its resource policy small however many routes it serves.
      expect(permissions, fn.name).toHaveLength(1);
      expect(JSON.stringify(permissions[0]!.Properties.SourceArn)).toContain(apiId);
    }
  });

  it('checks the government sign-in token: issuer and audience from the context', () => {
    t.api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: testContext.oidcIssuer, Audience: [testContext.oidcAudience] },
    });
  });

  it('answers CORS for the portal origins with the headers the API uses', () => {
    t.api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['https://portal.example', 'https://admin.portal.example'],
        AllowHeaders: Match.arrayWith(['Authorization', 'Content-Type', 'X-Organisation', 'If-Match', 'Idempotency-Key']),
        ExposeHeaders: Match.arrayWith(['ETag']),
      }),
    });
    expect(corsAllowHeaders).toEqual(expect.arrayContaining(['Authorization', 'Content-Type', 'X-Organisation', 'If-Match', 'Idempotency-Key']));
  });

  it('serves the $default stage with access logs and throttling', () => {
    t.api.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    t.api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
      DefaultRouteSettings: { ThrottlingBurstLimit: Match.anyValue(), ThrottlingRateLimit: Match.anyValue() },
    });
  });

  it('gives every route that machine clients may call a route throttle below the stage, after the route exists', () => {
    const machineRoutes = topology
      .allRoutes()
      .map((r) => r.route)
      .filter((r) => r.auth.kind === 'organisation' && (r.auth.scopes ?? []).length > 0);
    expect(machineRoutes.length).toBeGreaterThan(0);
    const stage = Object.values(t.api.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual(machineRoutes.map((r) => `${r.method} ${r.path}`).sort());
    for (const settings of Object.values(stage.Properties.RouteSettings)) expect(settings).toEqual(machineRouteThrottle);
    expect(machineRouteThrottle.ThrottlingRateLimit).toBeLessThan(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit);
    expect(stage.DependsOn?.length ?? 0).toBeGreaterThanOrEqual(machineRoutes.length);
  });
});

describe('functions', () => {
  const allFunctions = (b: Built) => [...b.api.functions, ...b.workflows.functions];
  const templateOf = (b: Built, fn: AppFunction) => Template.fromStack(b.api.functions.includes(fn) ? b.api : b.workflows);
  const requiredVariables = Object.entries(configSchema.shape)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([name]) => name);

  const sizedInTopology: Record<string, number | undefined> = Object.fromEntries(
    topology.stateMachines.flatMap((m) => Object.entries(m.functions).map(([substitution, entry]) => [`${m.name}-${substitution}`, entry.memorySize])),
  );

  it('run Node.js 24 on arm64 with tracing, 1024 MB unless the topology says otherwise, their own log group of one month and no managed policies', () => {
    for (const fn of allFunctions(fixture)) {
      const template = templateOf(fixture, fn);
      const resource = template.toJSON().Resources[fnId(fn)];
      // The KBO sync's slice task is sized for its measured memory, with a V8 heap limit to keep it there.
      const slice = fn.name === 'kbo-sync-ApplySliceFunction';
      expect(resource.Properties.Environment.Variables.NODE_OPTIONS, fn.name).toBe(
        slice ? '--enable-source-maps --max-old-space-size=192 --max-semi-space-size=4' : '--enable-source-maps',
      );
      expect(resource.Properties, fn.name).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        MemorySize: sizedInTopology[fn.name] ?? 1024,
        LoggingConfig: { LogGroup: { Ref: logicalId(fn.logGroup) } },
        Environment: { Variables: expect.objectContaining({ POWERTOOLS_SERVICE_NAME: 'werkplekduaal', MAIL_TRANSPORT: 'ses' }) },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', Match.objectLike({ RetentionInDays: 30 }));
      expect(template.toJSON().Resources[logicalId(fn.logGroup)].Properties.RetentionInDays).toBe(30);
      expect(template.toJSON().Resources[logicalId(fn.function.role!)].Properties.ManagedPolicyArns, fn.name).toBeUndefined();
    }
  });

  it('get every required variable of shared/config.ts', () => {
    expect(requiredVariables).toEqual(
      expect.arrayContaining([
        'STAGE',
        'TABLE_NAME',
        'DOCUMENTS_BUCKET',
        'KBO_INBOX_BUCKET',
        'NOTIFICATIONS_QUEUE_URL',
        'OIDC_ISSUER',
        'OIDC_AUDIENCE',
        'MAIL_FROM',
        'PORTAL_URL',
      ]),
    );
    for (const fn of allFunctions(fixture)) {
      const variables = templateOf(fixture, fn).toJSON().Resources[fnId(fn)].Properties.Environment.Variables as Record<string, unknown>;
      expect(Object.keys(variables), fn.name).toEqual(expect.arrayContaining([...requiredVariables, 'ALLOWED_ORIGINS', 'DEPARTMENT_EMAIL']));
      expect(variables.STAGE).toBe('fixture');
      expect(variables.ALLOWED_ORIGINS).toBe('https://portal.example,https://admin.portal.example');
    }
  });

  it('may do what infra/stacks/access.ts lists and nothing more', () => {
    for (const fn of allFunctions(real)) {
      const template = templateOf(real, fn);
      const actions = actionsOf(template, fn);
      const access = functionAccess[findEntry(fn) ?? ''];
      expect(access, `${fn.name} has an access entry`).toBeDefined();
      expect(actions, fn.name).not.toContain('dynamodb:Scan');
      expect(actions.includes('dynamodb:PutItem'), `${fn.name} writes`).toBe(access!.table === 'readwrite');
      expect(
        actions.some((a) => a.startsWith('s3:')),
        `${fn.name} uses S3`,
      ).toBe(Object.keys(access!.buckets ?? {}).length > 0);
      expect(actions.includes('s3:PutObject'), `${fn.name} uploads`).toBe(Object.values(access!.buckets ?? {}).includes('readwrite'));
      expect(actions.includes('sqs:SendMessage'), `${fn.name} sends`).toBe((access!.sendTo ?? []).length > 0);
      expect(actions.includes('states:StartExecution'), `${fn.name} starts executions`).toBe((access!.startStateMachines ?? []).length > 0);
      expect(actions.includes('ses:SendEmail'), `${fn.name} sends e-mail`).toBe(access!.sendEmail === true);
    }
    // The read-only verification function writes only the machine clients' request counters (IAM LeadingKeys).
    const verifications = real.api.functions.find((fn) => fn.name === 'api-verifications')!;
    const counters = statementsOf(t.api, verifications).filter((s) => JSON.stringify(s.Action).includes('dynamodb:UpdateItem'));
    expect(counters).toHaveLength(1);
    expect((counters[0] as { Condition?: unknown }).Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${clientRate.pkPrefix}*`] } });
    const recognitions = real.api.functions.find((fn) => fn.name === 'api-recognitions')!;
    const start = statementsOf(t.api, recognitions).find((s) => s.Action === 'states:StartExecution')!;
    expect(JSON.stringify(start.Resource)).toContain(':stateMachine:werkplekduaal-test-recognition-review');
  });

  it('refuses a function that access.ts does not list', () => {
    const app = new App({ context: { ...cdkContext, ...testContext, 'aws:cdk:bundling-stacks': [] } });
    const withoutTasks = Object.fromEntries(Object.entries(functionAccess).filter(([entry]) => entry !== 'functions/tasks/lambda.ts'));
    expect(() => buildStage(app, { access: withoutTasks })).toThrow(/functions\/tasks\/lambda\.ts has no entry in infra\/stacks\/access\.ts/);
  });
});

/** The entry file of an app function, from the topology, by its name. */
function findEntry(fn: AppFunction): string | undefined {
  const all = fixtureSetup.topology;
  const context = all.apiContexts.find((c) => `api-${c.name}` === fn.name);
  if (context) return context.function.entry;
  const queue = all.queues.find((q) => `consumer-${q.id}` === fn.name);
  if (queue) return queue.consumer.entry;
  for (const machine of all.stateMachines) {
    for (const [substitution, entry] of Object.entries(machine.functions)) if (`${machine.name}-${substitution}` === fn.name) return entry.entry;
  }
  const schedule = all.schedules.find((s) => `scheduled-${s.name}` === fn.name);
  return schedule && 'function' in schedule.target ? schedule.target.function.entry : undefined;
}

describe('workflows stack', () => {
  it('gives every queue an encrypted, TLS-only dead-letter queue with its maxReceiveCount', () => {
    expect(real.workflows.queues.map((q) => q.definition.id)).toEqual(topology.queues.map((q) => q.id));
    for (const { definition, queue, deadLetterQueue } of real.workflows.queues) {
      const queueId = logicalId(queue);
      const dlqId = logicalId(deadLetterQueue);
      expect(t.workflows.toJSON().Resources[queueId].Properties, definition.id).toMatchObject({
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: definition.maxReceiveCount },
        VisibilityTimeout: definition.visibilityTimeoutSeconds,
        KmsMasterKeyId: expect.anything(),
      });
      expect(t.workflows.toJSON().Resources[dlqId].Properties.KmsMasterKeyId, `${definition.id} DLQ`).toBeDefined();
      for (const id of [queueId, dlqId]) {
        t.workflows.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
        });
      }
    }
  });

  it('consumes every queue with its consumer: batch size, batching window, partial batch failures', () => {
    for (const { definition, queue } of real.workflows.queues) {
      const consumer = real.workflows.functions.find((fn) => fn.name === `consumer-${definition.id}`)!;
      t.workflows.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [logicalId(queue), 'Arn'] },
        FunctionName: { Ref: fnId(consumer) },
        BatchSize: definition.batchSize,
        MaximumBatchingWindowInSeconds: definition.maxBatchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      const timeout = t.workflows.toJSON().Resources[fnId(consumer)].Properties.Timeout as number;
      expect(timeout).toBeLessThanOrEqual(definition.visibilityTimeoutSeconds);
    }
  });

  it('deploys every state machine from its ASL file, each ${Function} substituted by its own task function, with logs and X-Ray', () => {
    const machines = fixtureSetup.topology.stateMachines;
    f.workflows.resourceCountIs('AWS::StepFunctions::StateMachine', machines.length);
    for (const definition of machines) {
      const { machine } = fixture.workflows.stateMachines.find((m) => m.definition.name === definition.name)!;
      const properties = f.workflows.toJSON().Resources[logicalId(machine)].Properties;
      const asl = readFileSync(
        definition.name === 'tick' ? join(fixtureSetup.stateMachineDirectory, definition.file) : join(repositoryRoot, 'state-machines', definition.file),
        'utf8',
      );
      const placeholders = [...new Set([...asl.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]))].sort();
      expect(Object.keys(properties.DefinitionSubstitutions).sort(), `${definition.file} placeholders`).toEqual(placeholders);
      for (const substitution of Object.keys(definition.functions)) {
        const fn = fixture.workflows.functions.find((x) => x.name === `${definition.name}-${substitution}`)!;
        expect(properties.DefinitionSubstitutions[substitution]).toEqual({ 'Fn::GetAtt': [fnId(fn), 'Arn'] });
        // The state machine's role may invoke exactly its task functions.
        const invoke = Object.values(f.workflows.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(machine.role) }] } }))
          .flatMap((p) => p.Properties.PolicyDocument.Statement)
          .find((s: { Action: unknown }) => s.Action === 'lambda:InvokeFunction');
        expect(JSON.stringify(invoke.Resource)).toContain(fnId(fn));
      }
      expect(properties).toMatchObject({
        StateMachineName: `werkplekduaal-fixture-${definition.name}`,
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      });
    }
  });

  it('lets the kbo-full-import Distributed Map read its manifests and run its own child executions, and starts it on an upload under full/', () => {
    const { machine } = real.workflows.stateMachines.find((m) => m.definition.name === 'kbo-full-import')!;
    const statements = Object.values(t.workflows.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(machine.role) }] } })).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const on = (action: string) => statements.filter((s) => [s.Action].flat().includes(action)).map((s) => JSON.stringify(s.Resource));
    expect(on('s3:GetObject')).toHaveLength(1);
    expect(on('s3:GetObject')[0]).toContain('/full-parts/*');
    expect(on('states:StartExecution')).toEqual([expect.stringContaining(':stateMachine:werkplekduaal-test-kbo-full-import')]);
    expect(on('states:DescribeExecution')).toEqual([expect.stringContaining(':execution:werkplekduaal-test-kbo-full-import/*')]);
    expect(on('states:StopExecution')).toHaveLength(1);
    t.workflows.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { object: { key: [{ prefix: 'full/' }] } } },
      Targets: [
        Match.objectLike({
          Arn: { Ref: logicalId(machine) },
          InputTransformer: { InputPathsMap: { 'detail-object-key': '$.detail.object.key' }, InputTemplate: '{"key":<detail-object-key>}' },
        }),
      ],
    });
    // The split stages the Full's members on /tmp.
    const prepare = real.workflows.functions.find((fn) => fn.name === 'kbo-full-import-PrepareFullFunction')!;
    expect(t.workflows.toJSON().Resources[fnId(prepare)].Properties).toMatchObject({ EphemeralStorage: { Size: 4096 }, Timeout: 900 });
    t.data.hasResourceProperties('AWS::S3::Bucket', { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
  });

  it('runs every schedule in its time zone with a role that may start exactly its target', () => {
    const schedules = fixtureSetup.topology.schedules;
    f.workflows.resourceCountIs('AWS::Scheduler::Schedule', schedules.length);
    expect(schedules.some((s) => 'stateMachine' in s.target) && schedules.some((s) => 'function' in s.target)).toBe(true);
    const resources = f.workflows.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
    for (const definition of schedules) {
      const [, schedule] = Object.entries(resources).find(
        ([, r]) => r.Type === 'AWS::Scheduler::Schedule' && r.Properties.ScheduleExpression === definition.cron,
      )!;
      expect(schedule.Properties).toMatchObject({ ScheduleExpressionTimezone: definition.timezone, FlexibleTimeWindow: { Mode: 'OFF' } });
      const roleId = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0] as string;
      expect(resources[roleId]!.Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      });
      const statements = Object.values(resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        // The statements for the schedule's own dead-letter queue (sqs, kms) are checked in hardening.test.ts.
        .filter((s) => !/^(sqs|kms):/.test([s.Action].flat()[0]));
      if ('stateMachine' in definition.target) {
        const name = definition.target.stateMachine;
        const machineId = logicalId(fixture.workflows.stateMachines.find((m) => m.definition.name === name)!.machine);
        expect(schedule.Properties.Target.Arn).toEqual({ Ref: machineId });
        expect(statements).toEqual([{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: machineId } }]);
      } else {
        const fn = fixture.workflows.functions.find((x) => x.name === `scheduled-${definition.name}`)!;
        expect(schedule.Properties.Target.Arn).toEqual({ 'Fn::GetAtt': [fnId(fn), 'Arn'] });
        expect(statements).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [fnId(fn), 'Arn'] } }]);
      }
    }
  });

  it('lets the notifications consumer send e-mail only as the configured sender', () => {
    const consumer = real.workflows.functions.find((fn) => fn.name === 'consumer-notifications')!;
    const ses = statementsOf(t.workflows, consumer).find((s) => Array.isArray(s.Action) && s.Action.includes('ses:SendEmail'))!;
    const resources = JSON.stringify(ses.Resource);
    expect(resources).toContain(':identity/werkplekduaal.example');
    expect(resources).toContain(':identity/noreply@werkplekduaal.example');
    expect(resources).not.toContain('*');
  });
});

describe('monitoring stack', () => {
  const alarmOf = (b: Built, name: string) => {
    const alarm = b.monitoring.alarms.get(name);
    expect(alarm, name).toBeDefined();
    return Template.fromStack(b.monitoring).toJSON().Resources[logicalId(alarm!)].Properties as Record<string, any>;
  };
  const topicOf = (b: Built) => ({ Ref: logicalId(b.monitoring.topic) });

  it('alarms on errors and throttles of every function', () => {
    for (const built of [real, fixture]) {
      for (const fn of [...built.api.functions, ...built.workflows.functions]) {
        const producer = Template.fromStack(built.api.functions.includes(fn) ? built.api : built.workflows);
        for (const [suffix, metric] of [
          ['errors', 'Errors'],
          ['throttles', 'Throttles'],
        ] as const) {
          const alarm = alarmOf(built, `${fn.name}-${suffix}`);
          expect(alarm).toMatchObject({
            Namespace: 'AWS/Lambda',
            MetricName: metric,
            Threshold: 0,
            ComparisonOperator: 'GreaterThanThreshold',
            AlarmActions: [topicOf(built)],
          });
          expect(exported(producer, alarm.Dimensions[0].Value), `${fn.name}-${suffix}`).toEqual({ Ref: fnId(fn) });
        }
      }
    }
  });

  it('alarms on the API 5xx', () => {
    const alarm = alarmOf(real, 'api-5xx');
    expect(alarm).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5xx', AlarmActions: [topicOf(real)] });
    expect(exported(t.api, alarm.Dimensions[0].Value)).toEqual({ Ref: logicalId(real.api.api) });
  });

  it('alarms as soon as any dead-letter queue holds a message', () => {
    for (const { definition, deadLetterQueue } of real.workflows.queues) {
      const alarm = alarmOf(real, `${definition.id}-dlq-not-empty`);
      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [topicOf(real)],
      });
      expect(exported(t.workflows, alarm.Dimensions[0].Value)).toEqual({ 'Fn::GetAtt': [logicalId(deadLetterQueue), 'QueueName'] });
    }
  });

  it('alarms on failed and timed-out executions of every state machine', () => {
    for (const { definition } of fixture.workflows.stateMachines) {
      expect(alarmOf(fixture, `${definition.name}-executions-failed`)).toMatchObject({ Namespace: 'AWS/States', MetricName: 'ExecutionsFailed' });
      expect(alarmOf(fixture, `${definition.name}-executions-timed-out`)).toMatchObject({ Namespace: 'AWS/States', MetricName: 'ExecutionsTimedOut' });
    }
  });

  it('sends alarms to an encrypted topic CloudWatch may use, with the optional e-mail subscription', () => {
    t.monitoring.resourceCountIs('AWS::SNS::Subscription', 0);
    f.monitoring.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@werkplekduaal.example' });
    f.monitoring.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    f.monitoring.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]),
      },
    });
    f.monitoring.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unsuppressed errors or warnings in any stack (nor any other synth error or warning)', () => {
    for (const built of [real, fixture]) {
      for (const stack of built.stacks) {
        const annotations = Annotations.fromStack(stack);
        const findings = [...annotations.findError('*', Match.anyValue()), ...annotations.findWarning('*', Match.anyValue())];
        expect(
          findings.map((x) => `${x.id}: ${String(x.entry.data).split('\n')[0]}`),
          stack.stackName,
        ).toEqual([]);
      }
    }
  });

  it('gives every suppression a reason', () => {
    for (const built of [real, fixture]) {
      for (const stack of built.stacks) {
        const resources = Template.fromStack(stack).toJSON().Resources as Record<
          string,
          { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } } }
        >;
        for (const [id, resource] of Object.entries(resources)) {
          for (const rule of resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) expect(rule.reason.length, `${id} ${rule.id}`).toBeGreaterThan(30);
        }
        expect(stack.templateOptions.metadata?.cdk_nag, `${stack.stackName} has no stack-wide suppressions`).toBeUndefined();
      }
    }
  });
});
