// Lambda entry of the daily task digest (EventBridge Scheduler, Europe/Brussels): the table and the notifications queue.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createSqsClient } from '../../shared/adapters/clients/sqs.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import { createDigestJob } from './digest.ts';

export const clients = { db: createDynamoDbClient, sqs: createSqsClient };

const job = onColdStart(clients, createDigestJob);

export const handler = () => job()();
