// Lambda entry of the event feed: it reads the table (and counts each machine client's requests in it), and seals
// its cursors with the keyring's cursor key.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createKeyring } from '../../shared/adapters/keyring.ts';
import { lambdaApiHandler } from '../../shared/http/lambda-entry.ts';
import { routes } from './routes.ts';

export const clients = { db: createDynamoDbClient, keys: createKeyring };

export const handler = lambdaApiHandler(routes, clients);
