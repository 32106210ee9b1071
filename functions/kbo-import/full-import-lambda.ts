// Lambda entries of the kbo-full-import state machine's tasks, one function per exported handler: the table, the
// KBO inbox bucket (the Full, its parts, the reports) and the kboChanges queue (a reconciling reload's changes).
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createS3Client } from '../../shared/adapters/clients/s3.ts';
import { createSqsClient } from '../../shared/adapters/clients/sqs.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import { createFullImportTasks, type FullImportInput, type PartInput, type PreparedFull } from './full-import-tasks.ts';

export const clients = { db: createDynamoDbClient, s3: createS3Client, sqs: createSqsClient };

const tasks = onColdStart(clients, createFullImportTasks);

export const prepareFull = (input: FullImportInput) => tasks().prepareFull(input);
export const applyPart = (input: PartInput) => tasks().applyPart(input);
export const finishFull = (input: PreparedFull) => tasks().finishFull(input);
