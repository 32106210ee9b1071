// Lambda entries of the recognition-review state machine's tasks, one function per exported handler: the table
// and the notifications queue.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createSqsClient } from '../../shared/adapters/clients/sqs.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import { createReviewTasks, type ReviewInput } from './review-tasks.ts';

export const clients = { db: createDynamoDbClient, sqs: createSqsClient };

const tasks = onColdStart(clients, createReviewTasks);

export const notifySubmitted = (input: ReviewInput) => tasks().notifySubmitted(input);
export const planReview = (input: ReviewInput) => tasks().planReview(input);
export const sendReminder = (input: ReviewInput) => tasks().sendReminder(input);
export const escalate = (input: ReviewInput) => tasks().escalate(input);
