// Lambda entries of the kbo-sync state machine's tasks, one function per exported handler: the table, the KBO
// inbox bucket and the kboChanges queue.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createS3Client } from '../../shared/adapters/clients/s3.ts';
import { createSqsClient } from '../../shared/adapters/clients/sqs.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import { createSyncTasks, type FileInput } from './sync-tasks.ts';

export const clients = { db: createDynamoDbClient, s3: createS3Client, sqs: createSqsClient };

const tasks = onColdStart(clients, createSyncTasks);

export const planRun = () => tasks().planRun();
export const prepareFile = (input: FileInput) => tasks().prepareFile(input);
export const applySlice = (input: FileInput) => tasks().applySlice(input);
