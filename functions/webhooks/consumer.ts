// Lambda entry of the webhooks queue: one attempt per message (functions/webhooks/delivery.ts). The table for the
// delivery and its subscription, the queue for the next retry.
import { webhookDeliveryMessageSchema } from '../../events/webhook-delivery.ts';
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createSqsClient } from '../../shared/adapters/clients/sqs.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import { createQueueConsumer } from '../../shared/adapters/queue-consumer.ts';
import { deliverOnce } from './delivery.ts';

export const clients = { db: createDynamoDbClient, sqs: createSqsClient };

const dependencies = onColdStart(clients, (deps) => deps);

export const handler = createQueueConsumer('webhook delivery', webhookDeliveryMessageSchema, async (message) => deliverOnce(dependencies(), message));
