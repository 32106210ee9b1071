// Lambda entry of the agreements daily job (EventBridge Scheduler, Europe/Brussels): the table and the keyring
// (learner keys of ended agreements).
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import { createKeyring } from '../../shared/adapters/keyring.ts';
import { createAgreementsDailyJob } from './daily.ts';

export const clients = { db: createDynamoDbClient, keys: createKeyring };

/** The job from dependencies: the local stage runs it with a clock of its own (`npm run schedule -- <job> --on <day>`). */
export const createJob = createAgreementsDailyJob;

const job = onColdStart(clients, createJob);

export const handler = () => job()();
