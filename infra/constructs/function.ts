// One Lambda shape for every function, after Powertools' examples/app: Node.js 24 on arm64, ESM bundle built
// by local esbuild (no Docker), minified and tree-shaken with the AWS SDK inside, source maps without sources
// content, its own log group with retention, X-Ray tracing, and the app configuration as environment.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { FunctionEntry } from '../topology.ts';

export const repositoryRoot = join(import.meta.dirname, '..', '..');

export type AppFunctionProps = { fn: FunctionEntry; environment: Record<string, string>; timeout?: Duration; memorySize?: number; description: string };

export class AppFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(repositoryRoot, props.fn.entry),
      handler: props.fn.handler,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(29),
      tracing: Tracing.ACTIVE,
      logGroup,
      projectRoot: repositoryRoot,
      depsLockFilePath: join(repositoryRoot, 'package-lock.json'),
      environment: { ...props.environment, POWERTOOLS_SERVICE_NAME: 'werkplekduaal', NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        externalModules: [],
        forceDockerBundling: false,
        mainFields: ['module', 'main'],
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
    });
  }
}

/** Sets the table's name and grants exactly the access asked for, in one call. */
export function bindTable(fn: IFunction, table: ITable, access: 'read' | 'readwrite'): void {
  if (access === 'read') table.grantReadData(fn);
  else table.grantReadWriteData(fn);
}

export function bindBucket(fn: IFunction, bucket: IBucket, access: 'read' | 'readwrite'): void {
  if (access === 'read') bucket.grantRead(fn);
  else bucket.grantReadWrite(fn);
}

export function bindQueue(fn: IFunction, queue: IQueue, access: 'send' | 'consume'): void {
  if (access === 'send') queue.grantSendMessages(fn);
  else queue.grantConsumeMessages(fn);
}
