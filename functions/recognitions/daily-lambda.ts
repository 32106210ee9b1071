// Lambda entry of the recognitions daily job (EventBridge Scheduler, Europe/Brussels): the table, the documents
// bucket (deleting documents whose retention ended), the notifications queue and the outbox dispatch (SQS too).
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createS3Client } from '../../shared/adapters/clients/s3.ts';
import { createSqsClient } from '../../shared/adapters/clients/sqs.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import { createDailyJob } from './daily.ts';

export const clients = { db: createDynamoDbClient, s3: createS3Client, sqs: createSqsClient };

/** The job from dependencies: the local stage runs it with a clock of its own (`npm run schedule -- <job> --on <day>`). */
export const createJob = createDailyJob;

const job = onColdStart(clients, createJob);

export const handler = () => job()();
