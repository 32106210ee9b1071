// Lambda entry of the documents context: the table, the documents bucket (presigned uploads and downloads) and the keyring.
// Only these clients are in its bundle; infra/test/clients.test.ts checks them against infra/stacks/access.ts.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createS3Client } from '../../shared/adapters/clients/s3.ts';
import { createKeyring } from '../../shared/adapters/keyring.ts';
import { lambdaApiHandler } from '../../shared/http/lambda-entry.ts';
import { routes } from './routes.ts';

export const clients = { db: createDynamoDbClient, s3: createS3Client, keys: createKeyring };

export const handler = lambdaApiHandler(routes, clients);
