// Lambda entry of the verifications context: it reads the table (and counts each machine client's requests in it,
// the only write: infra/stacks/access.ts limits it to those counters). No list cursor, no learner key: no keyring.
// Only these clients are in its bundle; infra/test/clients.test.ts checks them against infra/stacks/access.ts.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { lambdaApiHandler } from '../../shared/http/lambda-entry.ts';
import { routes } from './routes.ts';

export const clients = { db: createDynamoDbClient };

export const handler = lambdaApiHandler(routes, clients);
