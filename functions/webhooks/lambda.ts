// Lambda entry of the webhooks context: subscriptions and the delivery log in the table (and each machine client's
// request counter), a redelivery's first attempt on the webhooks queue, the keyring for the lists' cursors.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createSqsClient } from '../../shared/adapters/clients/sqs.ts';
import { createKeyring } from '../../shared/adapters/keyring.ts';
import { lambdaApiHandler } from '../../shared/http/lambda-entry.ts';
import { routes } from './routes.ts';

export const clients = { db: createDynamoDbClient, sqs: createSqsClient, keys: createKeyring };

export const handler = lambdaApiHandler(routes, clients);
