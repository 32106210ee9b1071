// A fresh, isolated set of resources on the shared emulators for one test file: its own table, buckets
// and queues, and the Dependencies object handlers receive, exactly as the local stage builds it.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import { loadConfig, type Config } from '../../../shared/config.ts';
import { createDependencies, type Dependencies } from '../../../shared/adapters/dependencies.ts';
import { ensureTable, localCredentials, localRegion, type LocalQueue } from '../emulators.ts';
import { provisionLocalResources } from '../environment.ts';

export type TestEnvironment = { config: Config; deps: Dependencies; queues: LocalQueue[]; stage: string };

export const testIssuer = 'http://localhost:3999/_local/oidc';
export const testAudience = 'werkplekduaal-test';

export async function createTestEnvironment(overrides: Record<string, string> = {}): Promise<TestEnvironment> {
  const dynamoEndpoint = inject('dynamoEndpoint');
  const awsEndpoint = inject('awsEndpoint');
  const stage = `t${ulid().toLowerCase().slice(-10)}`;
  const tableName = `${stage}-table`;
  const dynamo = new DynamoDBClient({ endpoint: dynamoEndpoint, region: localRegion, credentials: localCredentials });
  await ensureTable(dynamo, tableName, { timeToLive: false });
  dynamo.destroy();
  const { environment, queues } = await provisionLocalResources({
    stage,
    tableName,
    dynamoEndpoint,
    awsEndpoint,
    issuer: testIssuer,
    audience: testAudience,
    // Each environment its own root key, as each has its own table: nothing may depend on a fixed key.
    hmacKey: randomBytes(32).toString('hex'),
  });
  const config = loadConfig({ ...environment, ...overrides });
  return { config, deps: createDependencies(config), queues, stage };
}

/** Receives and deletes everything waiting on a queue; returns the message bodies, parsed. */
export async function drainQueue<T>(deps: Dependencies, queueUrl: string): Promise<T[]> {
  const found: T[] = [];
  for (;;) {
    const received = await deps.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!received.Messages?.length) return found;
    for (const m of received.Messages) {
      found.push(JSON.parse(m.Body!) as T);
      await deps.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
}
