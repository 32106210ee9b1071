// Lambda entry of the agreements daily job (EventBridge Scheduler, Europe/Brussels): the table and the keyring
// (learner keys of ended agreements).
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import { createKeyring } from '../../shared/adapters/keyring.ts';
import { createAgreementsDailyJob } from './daily.ts';

export const clients = { db: createDynamoDbClient, keys: createKeyring };

const job = onColdStart(clients, createAgreementsDailyJob);

export const handler = () => job()();
