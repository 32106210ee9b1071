// Lambda entry of the recognitions daily job (EventBridge Scheduler, Europe/Brussels): the table, the documents
// bucket (deleting documents whose retention ended) and the notifications queue.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createS3Client } from '../../shared/adapters/clients/s3.ts';
import { createSqsClient } from '../../shared/adapters/clients/sqs.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import { createDailyJob } from './daily.ts';

export const clients = { db: createDynamoDbClient, s3: createS3Client, sqs: createSqsClient };

const job = onColdStart(clients, createDailyJob);

export const handler = () => job()();
