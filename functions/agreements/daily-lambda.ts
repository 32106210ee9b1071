// Lambda entry of the agreements daily job (EventBridge Scheduler, Europe/Brussels): the table, the keyring
// (learner keys of ended agreements), the notifications queue (the parties of an agreement that ended) and the outbox
// dispatch of the run's events (SQS too).
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import { createKeyring } from '../../shared/adapters/keyring.ts';
import { createSqsClient } from '../../shared/adapters/clients/sqs.ts';
import { createAgreementsDailyJob } from './daily.ts';

export const clients = { db: createDynamoDbClient, keys: createKeyring, sqs: createSqsClient };

/** The job from dependencies: the local stage runs it with a clock of its own (`npm run schedule -- <job> --on <day>`). */
export const createJob = createAgreementsDailyJob;

const job = onColdStart(clients, createJob);

export const handler = () => job()();
