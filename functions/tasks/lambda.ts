// Lambda entry of the tasks context: the table and the keyring (cursor seals).
// Only these clients are in its bundle; infra/test/clients.test.ts checks them against infra/stacks/access.ts.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createKeyring } from '../../shared/adapters/keyring.ts';
import { lambdaApiHandler } from '../../shared/http/lambda-entry.ts';
import { routes } from './routes.ts';

export const clients = { db: createDynamoDbClient, keys: createKeyring };

export const handler = lambdaApiHandler(routes, clients);
