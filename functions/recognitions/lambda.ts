// Lambda entry of the recognitions context: the table, the queues (notifications, domain events), the review state machine and the keyring.
// Only these clients are in its bundle; infra/test/clients.test.ts checks them against infra/stacks/access.ts.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createSqsClient } from '../../shared/adapters/clients/sqs.ts';
import { createSfnClient } from '../../shared/adapters/clients/sfn.ts';
import { createKeyring } from '../../shared/adapters/keyring.ts';
import { lambdaApiHandler } from '../../shared/http/lambda-entry.ts';
import { routes } from './routes.ts';

export const clients = { db: createDynamoDbClient, sqs: createSqsClient, sfn: createSfnClient, keys: createKeyring };

export const handler = lambdaApiHandler(routes, clients);
