// A fresh, isolated set of resources on the shared emulators for one test file: its own table, buckets
// and queues, and the Dependencies object handlers receive, exactly as the local stage builds it.
import { inject } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadConfig, type Config } from '../../../shared/config.ts';
import { createDependencies, type Dependencies } from '../../../shared/adapters/dependencies.ts';
import { ensureBuckets, ensureQueues, ensureTable, localCredentials, localRegion, type LocalQueue } from '../emulators.ts';
import { ulid } from 'ulid';

export type TestEnvironment = { config: Config; deps: Dependencies; queues: LocalQueue[]; stage: string };

export const testIssuer = 'http://localhost:3999/_local/oidc';
export const testAudience = 'werkplekduaal-test';

export async function createTestEnvironment(overrides: Record<string, string> = {}): Promise<TestEnvironment> {
  const dynamoEndpoint = inject('dynamoEndpoint');
  const awsEndpoint = inject('awsEndpoint');
  const stage = `t${ulid().toLowerCase().slice(-10)}`;
  const tableName = `${stage}-table`;
  const dynamo = new DynamoDBClient({ endpoint: dynamoEndpoint, region: localRegion, credentials: localCredentials });
  await ensureTable(dynamo, tableName);
  dynamo.destroy();
  const bootstrap = createDependencies(
    loadConfig({
      STAGE: stage, TABLE_NAME: tableName, DOCUMENTS_BUCKET: 'x-bootstrap', KBO_INBOX_BUCKET: 'x-bootstrap',
      NOTIFICATIONS_QUEUE_URL: 'http://localhost/bootstrap', OIDC_ISSUER: testIssuer, OIDC_AUDIENCE: testAudience,
      MAIL_FROM: 'noreply@werkplekduaal.test', LOCAL_DYNAMODB_ENDPOINT: dynamoEndpoint, LOCAL_AWS_ENDPOINT: awsEndpoint,
    }),
  );
  const bucketNames = await ensureBuckets(bootstrap.s3, stage);
  const queues = await ensureQueues(bootstrap.sqs, stage);
  const env: Record<string, string> = {
    STAGE: stage,
    TABLE_NAME: tableName,
    DOCUMENTS_BUCKET: bucketNames.documents,
    KBO_INBOX_BUCKET: bucketNames.kboInbox,
    OIDC_ISSUER: testIssuer,
    OIDC_AUDIENCE: testAudience,
    MAIL_FROM: 'noreply@werkplekduaal.test',
    LOCAL_DYNAMODB_ENDPOINT: dynamoEndpoint,
    LOCAL_AWS_ENDPOINT: awsEndpoint,
    AWS_REGION: localRegion,
  };
  for (const queue of queues) env[queue.definition.urlVariable] = queue.url;
  const config = loadConfig({ ...env, ...overrides });
  return { config, deps: createDependencies(config), queues, stage };
}
