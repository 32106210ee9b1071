// Lambda entry of the daily task digest (EventBridge Scheduler, Europe/Brussels): the table and the notifications queue.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createSqsClient } from '../../shared/adapters/clients/sqs.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import { createDigestJob } from './digest.ts';

export const clients = { db: createDynamoDbClient, sqs: createSqsClient };

/** The job from dependencies: the local stage runs it with a clock of its own (`npm run schedule -- <job> --on <day>`). */
export const createJob = createDigestJob;

const job = onColdStart(clients, createJob);

export const handler = () => job()();
