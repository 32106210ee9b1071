// One Lambda shape for every function, after Powertools' examples/app: Node.js 24 on arm64, an ESM bundle
// built by the local esbuild (no Docker), minified and tree-shaken with the AWS SDK inside, source maps
// without sources content, its own log group with retention, X-Ray tracing, and the app configuration as
// environment. The bind helpers below set a resource's variable and grant access to it in one call.
import { Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { Config } from '../../shared/config.ts';
import type { FunctionEntry } from '../topology.ts';
import { bundling, nodeOptionsFor } from './bundling.ts';

export const repositoryRoot = join(import.meta.dirname, '..', '..');

/** A variable of shared/config.ts; the bind helpers only set variables the functions actually read. */
export type ConfigVariable = keyof Config;

export type AppFunctionProps = {
  /** The function's logical name, e.g. `api-organisations`: construct id, alarm names, dashboard. */
  name: string;
  entry: FunctionEntry;
  description: string;
  /** Every variable of shared/config.ts: loadConfig() refuses to start without them. */
  environment: Partial<Record<ConfigVariable, string>>;
  timeout?: Duration;
  memorySize?: number;
};

/**
 * Variables only the local stage sets: a deployed function with one would deliver webhooks to its own loopback
 * (server-side request forgery). The synth fails on them; loadConfig refuses them in AWS as well.
 */
export const localOnlyVariables = ['WEBHOOK_ALLOW_LOCAL_URLS'] as const satisfies readonly ConfigVariable[];

export class AppFunction extends Construct {
  readonly name: string;
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, props: AppFunctionProps) {
    super(scope, props.name);
    const local = localOnlyVariables.filter((variable) => props.environment[variable] !== undefined);
    if (local.length > 0) throw new Error(`${props.name}: ${local.join(', ')} is for the local stage only and cannot be deployed`);
    this.name = props.name;
    this.logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });

    // An explicit role instead of the default one with AWSLambdaBasicExecutionRole: that managed policy lets
    // the function write to every log group of the account, this one only to its own.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `${Stack.of(this).stackName} ${props.name}` });
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }));

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(repositoryRoot, props.entry.entry),
      handler: props.entry.handler,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? props.entry.memorySize ?? 1024,
      ...(props.entry.ephemeralStorageMiB ? { ephemeralStorageSize: Size.mebibytes(props.entry.ephemeralStorageMiB) } : {}),
      timeout: props.timeout ?? Duration.seconds(25),
      tracing: Tracing.ACTIVE,
      role,
      logGroup: this.logGroup,
      projectRoot: repositoryRoot,
      depsLockFilePath: join(repositoryRoot, 'package-lock.json'),
      environment: {
        ...(props.environment as Record<string, string>),
        POWERTOOLS_SERVICE_NAME: 'werkplekduaal',
        // Stack traces point at the TypeScript sources; the bench's cold-start section measures what that costs.
        NODE_OPTIONS: nodeOptionsFor(props.entry),
      },
      // The settings of bundling.ts, which the bench builds with too.
      bundling: {
        format: OutputFormat.ESM,
        target: bundling.target,
        minify: bundling.minify,
        sourceMap: bundling.sourcemap,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: bundling.sourcesContent,
        // The SDK goes into the bundle: a pinned, tree-shaken version instead of whatever the runtime ships.
        externalModules: [],
        forceDockerBundling: false,
        // `cdk synth --quiet` stays quiet: esbuild only speaks up about problems.
        logLevel: LogLevel.WARNING,
        mainFields: [...bundling.mainFields],
        esbuildArgs: {
          '--tree-shaking': String(bundling.treeShaking),
          // CDK passes each as `--alias:<from>=<to>` to esbuild.
          '--alias': Object.entries(bundling.alias).map(([from, to]) => `${from}=${to}`),
        },
        banner: bundling.banner,
      },
    });

    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource-level permissions; CDK adds it for active tracing.',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
  }
}

/** Records why a wildcard a grant produced is acceptable, on the function's own policy only. */
function allowWildcards(fn: AppFunction, reason: string, appliesTo: (string | { regex: string })[]): void {
  NagSuppressions.addResourceSuppressions(fn.function.role!, [{ id: 'AwsSolutions-IAM5', reason, appliesTo }], true);
}

/** Encrypting with a customer-managed key: CDK grants data keys of that one key with these wildcard actions. */
function allowKmsDataKeys(fn: AppFunction): void {
  allowWildcards(
    fn,
    'kms:GenerateDataKey* and kms:ReEncrypt* are the data-key actions CDK grants for writing with a customer-managed key; the resource is that one key.',
    ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*'],
  );
}

/**
 * Sets TABLE_NAME and grants item-level access to the table and its indexes. The actions are listed rather
 * than taken from grantReadData: that one includes Scan, and no request path may scan.
 */
export function bindTable(input: { fn: AppFunction; table: ITable; access: 'read' | 'readwrite' }): void {
  const { fn, table, access } = input;
  fn.function.addEnvironment('TABLE_NAME', table.tableName);
  const read = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
  const write = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
  table.grant(fn.function, ...read, ...(access === 'readwrite' ? write : []));
  // The same key actions CDK's grantReadData / grantReadWriteData give for a customer-managed table key.
  const keyRead = ['kms:Decrypt', 'kms:DescribeKey'];
  const keyWrite = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
  table.encryptionKey?.grant(fn.function, ...keyRead, ...(access === 'readwrite' ? keyWrite : []));
  allowWildcards(fn, 'Queries on the global secondary indexes of this one table need <table arn>/index/*.', [
    { regex: '/^Resource::.*Table.*\\/index\\/\\*$/' },
  ]);
  if (access === 'readwrite') allowKmsDataKeys(fn);
}

/**
 * Lets a function whose table access is `read` update only the items whose partition key starts with `prefix`
 * (IAM's dynamodb:LeadingKeys): the per-client request counters of a read-only API function.
 */
export function bindTableCounters(input: { fn: AppFunction; table: ITable; prefix: string }): void {
  const { fn, table, prefix } = input;
  fn.function.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:UpdateItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${prefix}*`] } },
    }),
  );
  table.encryptionKey?.grant(fn.function, 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*');
  if (table.encryptionKey) allowKmsDataKeys(fn);
}

/**
 * Sets the bucket's variable and grants `read` (download, inspect), `readwrite` (also upload through a
 * presigned POST, which is signed with the function's own credentials) or `delete` (removing objects at
 * the end of a retention period). ListBucket makes a missing object a 404 instead of a 403.
 */
export function bindBucket(input: { fn: AppFunction; bucket: IBucket; variable: ConfigVariable; access: 'read' | 'readwrite' | 'delete' }): void {
  const { fn, bucket, access } = input;
  fn.function.addEnvironment(input.variable, bucket.bucketName);
  const actions = { read: ['s3:GetObject'], readwrite: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], delete: ['s3:DeleteObject'] }[access];
  fn.function.addToRolePolicy(new PolicyStatement({ actions, resources: [bucket.arnForObjects('*')] }));
  if (access !== 'delete') fn.function.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
  if (access === 'read') bucket.encryptionKey?.grantDecrypt(fn.function);
  if (access === 'readwrite') bucket.encryptionKey?.grantEncryptDecrypt(fn.function);
  allowWildcards(fn, 'Objects have opaque generated keys (documents/<ulid>), so the listed object actions apply to <bucket arn>/* of this one bucket.', [
    { regex: '/^Resource::.*Bucket.*\\/\\*$/' },
  ]);
  if (access === 'readwrite') allowKmsDataKeys(fn);
}

/** Sets the queue's URL variable and grants sending (producers); consumers get their grant from the event source. */
export function bindQueue(input: { fn: AppFunction; queue: IQueue; variable: ConfigVariable; access: 'send' }): void {
  const { fn, queue } = input;
  fn.function.addEnvironment(input.variable, queue.queueUrl);
  queue.grantSendMessages(fn.function);
  if (queue.encryptionMasterKey) allowKmsDataKeys(fn);
}

/** Sets the state machine's ARN variable and grants starting executions of it (nothing else). */
export function bindStateMachine(input: { fn: AppFunction; arn: string; variable: ConfigVariable; access: 'start' }): void {
  input.fn.function.addEnvironment(input.variable, input.arn);
  input.fn.function.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [input.arn] }));
}

/**
 * Grants deriving keys from the keyring's KMS HMAC key: kms:GenerateMac on that one key, nothing else (no
 * VerifyMac, no key management). The key's ARN is in every function's environment already (HMAC_KEY_ARN).
 */
export function bindHmacKey(input: { fn: AppFunction; key: IKey }): void {
  input.fn.function.addToRolePolicy(new PolicyStatement({ actions: ['kms:GenerateMac'], resources: [input.key.keyArn] }));
}
