// Tasks: pk `TASKS#<organisation>`, sk `TASK#<task id>`; while open also in gsi1 under
// `OPENTASKS#<organisation>` / `<due date>#<task id>` (a sparse index), so a dashboard is one Query sorted
// by due date. Task ids are deterministic (e.g. `renewal:<recognition>`): creating twice creates once.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import type { Task } from '../domain/tasks.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

const key = (organisationKey: string, id: string) => ({ pk: `TASKS#${organisationKey}`, sk: `TASK#${id}` });

export function taskItem(task: Task) {
  return { ...key(task.organisationKey, task.id), ...task, ...(task.status === 'open' ? { gsi1pk: `OPENTASKS#${task.organisationKey}`, gsi1sk: `${task.dueDate ?? '9999-12-31'}#${task.id}` } : {}) };
}

/** Creates the task unless it already exists (open or done); returns whether it was new. */
export async function openTask(deps: Dependencies, task: Task): Promise<boolean> {
  try {
    await deps.db.send(new PutCommand({ TableName: deps.config.TABLE_NAME, Item: taskItem(task), ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Closes a task by doing its action; closing an absent or closed task changes nothing. */
export async function closeTask(deps: Dependencies, organisationKey: string, id: string): Promise<void> {
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.TABLE_NAME,
        Key: key(organisationKey, id),
        UpdateExpression: 'SET #status = :done, closedAt = :now REMOVE gsi1pk, gsi1sk',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'done', ':open': 'open', ':now': deps.clock.now().toISOString() },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export async function listOpenTasks(deps: Dependencies, organisationKey: string, page: { cursor?: string | undefined; limit?: number | undefined }) {
  const partition = { attribute: 'gsi1pk', value: `OPENTASKS#${organisationKey}` };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME, IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partition.value },
      ExclusiveStartKey: decodeCursor(page.cursor, partition), Limit: page.limit ?? 50,
    }),
  );
  return { items: (result.Items ?? []).map(({ pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, ...t }) => t as Task), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}
