// Lambda entry of the kbo-changes context (change review): the table, the queues (notifications, domain events), the
// keyring, and S3 for the KBO files' reports.
// Only these clients are in its bundle; infra/test/clients.test.ts checks them against infra/stacks/access.ts.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createS3Client } from '../../shared/adapters/clients/s3.ts';
import { createSqsClient } from '../../shared/adapters/clients/sqs.ts';
import { createKeyring } from '../../shared/adapters/keyring.ts';
import { lambdaApiHandler } from '../../shared/http/lambda-entry.ts';
import { routes } from './routes.ts';

export const clients = { db: createDynamoDbClient, sqs: createSqsClient, s3: createS3Client, keys: createKeyring };

export const handler = lambdaApiHandler(routes, clients);
