// Lambda entry of the documents context: the table and the documents bucket (presigned uploads and downloads). No
// route lists, so no cursor is sealed, and no route derives a learner's key: no keyring.
// Only these clients are in its bundle; infra/test/clients.test.ts checks them against infra/stacks/access.ts.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createS3Client } from '../../shared/adapters/clients/s3.ts';
import { lambdaApiHandler } from '../../shared/http/lambda-entry.ts';
import { routes } from './routes.ts';

export const clients = { db: createDynamoDbClient, s3: createS3Client };

export const handler = lambdaApiHandler(routes, clients);
