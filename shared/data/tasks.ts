// Tasks (keys: `task` in keys.ts): one item per task in its organisation's partition; while open also in gsi1
// under the organisation's open-task partition, sorted by due date (a sparse index), so a dashboard is one
// Query sorted by due date. Task ids are deterministic (e.g. `renewal:<recognition>`): creating twice creates once.
//
// Counts per type live on one counter item per organisation, changed in the same transaction that opens or
// closes a task, so a dashboard never reads every task to count them. Each counter attribute is
// `n#<type>#<roles, sorted, comma-joined>`: a caller's count per type is the sum of the attributes whose roles
// meet the caller's, which is exact even for a task shown to several roles. The counter item is also in the
// sparse gsi2 under the organisations-with-tasks partition: the daily digest lists the organisations that ever
// had a task with one Query instead of a Scan.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import type { Task, TaskType } from '../domain/tasks.ts';
import { task as keys } from './keys.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

const key = keys.key;
const countsKey = keys.counts;
const countAttribute = (type: string, roles: string[]) => `n#${type}#${[...roles].sort().join(',')}`;

export function taskItem(task: Task) {
  return {
    ...key(task.organisationKey, task.id),
    ...task,
    ...(task.status === 'open' ? { gsi1pk: keys.openIndex(task.organisationKey), gsi1sk: keys.openIndexSk(task.dueDate, task.id) } : {}),
  };
}

/** The counter update that goes into the transaction opening (+1) or closing (-1) a task. */
function countUpdate(deps: Dependencies, task: Pick<Task, 'organisationKey' | 'type' | 'roles'>, delta: 1 | -1) {
  return {
    TableName: deps.config.TABLE_NAME,
    Key: countsKey(task.organisationKey),
    UpdateExpression: 'ADD #n :delta SET gsi2pk = :orgs, gsi2sk = :org, organisationKey = :org',
    ExpressionAttributeNames: { '#n': countAttribute(task.type, task.roles) },
    ExpressionAttributeValues: { ':delta': delta, ':orgs': keys.organisationsIndex, ':org': task.organisationKey },
  };
}

const conditionFailed = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));

/** Creates the task unless it already exists (open or done); returns whether it was new. */
export async function openTask(deps: Dependencies, task: Task): Promise<boolean> {
  try {
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: deps.config.TABLE_NAME, Item: taskItem(task), ConditionExpression: 'attribute_not_exists(pk)' } },
          ...(task.status === 'open' ? [{ Update: countUpdate(deps, task, 1) }] : []),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

/** How long a closed task is kept (it is never shown again; only a reopened id would find it). */
export const closedTaskRetentionDays = 365;

/** Closes a task by doing its action; closing an absent or closed task changes nothing. */
export async function closeTask(deps: Dependencies, organisationKey: string, id: string): Promise<void> {
  // Type and roles never change after opening, so reading them first is safe; the transaction's condition
  // on the status makes the counter move once even when two requests close the same task.
  const current = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: key(organisationKey, id), ConsistentRead: true }));
  const task = current.Item as Task | undefined;
  if (task?.status !== 'open') return;
  try {
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: deps.config.TABLE_NAME,
              Key: key(organisationKey, id),
              // A closed task is no longer shown; its label may name a person, so it goes a year later (TTL).
              UpdateExpression: 'SET #status = :done, closedAt = :now, #ttl = :ttl REMOVE gsi1pk, gsi1sk',
              ConditionExpression: '#status = :open',
              ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
              ExpressionAttributeValues: {
                ':done': 'done',
                ':open': 'open',
                ':now': deps.clock.now().toISOString(),
                ':ttl': Math.floor(deps.clock.now().getTime() / 1000) + closedTaskRetentionDays * 86_400,
              },
            },
          },
          { Update: countUpdate(deps, task, -1) },
        ],
      }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}

export type TaskFilters = {
  /** Only tasks for at least one of these roles (the caller's roles in the acting organisation). */
  roles?: string[] | undefined;
  type?: TaskType | undefined;
  /** Only tasks due before this date (`YYYY-MM-DD`): part of the key condition, the sort key starts with it. */
  dueBefore?: string | undefined;
  subjectKind?: Task['subject']['kind'] | undefined;
};

/**
 * One Query on the open-task index: overdue is a key condition on the sort key (due date first), roles, type
 * and subject kind are a filter. A filter is applied after `Limit`, so a page may hold fewer items than asked
 * while `cursor` is not null; the next page continues where the Query stopped.
 */
export async function listOpenTasks(
  deps: Dependencies,
  organisationKey: string,
  page: { cursor?: string | undefined; limit?: number | undefined },
  filters: TaskFilters = {},
) {
  const partition = { attribute: 'gsi1pk', value: keys.openIndex(organisationKey) };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':pk': partition.value };
  const conditions: string[] = [];
  if (filters.roles) {
    if (filters.roles.length === 0) return { items: [] as Task[], cursor: null };
    names['#roles'] = 'roles';
    conditions.push(
      `(${filters.roles
        .map((role, i) => {
          values[`:r${i}`] = role;
          return `contains(#roles, :r${i})`;
        })
        .join(' OR ')})`,
    );
  }
  if (filters.type) {
    names['#type'] = 'type';
    values[':type'] = filters.type;
    conditions.push('#type = :type');
  }
  if (filters.subjectKind) {
    names['#subject'] = 'subject';
    names['#kind'] = 'kind';
    values[':kind'] = filters.subjectKind;
    conditions.push('#subject.#kind = :kind');
  }
  if (filters.dueBefore) values[':due'] = filters.dueBefore;
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: filters.dueBefore ? 'gsi1pk = :pk AND gsi1sk < :due' : 'gsi1pk = :pk',
      ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      ExclusiveStartKey: decodeCursor(page.cursor, partition),
      Limit: page.limit ?? 50,
    }),
  );
  return {
    items: (result.Items ?? []).map(({ pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, ...t }) => t as Task),
    cursor: encodeCursor(result.LastEvaluatedKey as never),
  };
}

/** Open tasks per type for a caller holding `roles` (all roles when omitted): one GetItem of the counter. */
export async function countOpenTasks(deps: Dependencies, organisationKey: string, roles?: string[]): Promise<Partial<Record<TaskType, number>>> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: countsKey(organisationKey) }));
  const counts: Partial<Record<TaskType, number>> = {};
  for (const [name, value] of Object.entries(result.Item ?? {})) {
    if (!name.startsWith('n#') || typeof value !== 'number' || value <= 0) continue;
    const [, type, taskRoles] = name.split('#') as [string, TaskType, string];
    if (roles && !taskRoles.split(',').some((r) => roles.includes(r))) continue;
    counts[type] = (counts[type] ?? 0) + value;
  }
  return counts;
}

/** Organisations that ever had a task, with when their last digest was sent (gsi2 `TASKORGS`, paginated). */
export async function listTaskOrganisations(deps: Dependencies, cursor?: string) {
  const partition = { attribute: 'gsi2pk', value: keys.organisationsIndex };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': partition.value },
      ExclusiveStartKey: decodeCursor(cursor, partition),
      Limit: 100,
    }),
  );
  return {
    items: (result.Items ?? []).map((i) => ({ organisationKey: i.organisationKey as string, lastDigestAt: (i.lastDigestAt as string | undefined) ?? null })),
    cursor: encodeCursor(result.LastEvaluatedKey as never),
  };
}

/** Records that today's digest of an organisation went out, so the next one lists only newer tasks. */
export async function markDigestSent(deps: Dependencies, organisationKey: string, at: string): Promise<void> {
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.config.TABLE_NAME,
      Key: countsKey(organisationKey),
      UpdateExpression: 'SET lastDigestAt = :at',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

/** One page of a dashboard: the open tasks of one Query and the counts per type of one GetItem, read in parallel. */
export async function readDashboard(
  deps: Dependencies,
  organisationKey: string,
  page: { cursor?: string | undefined; limit?: number | undefined },
  filters: TaskFilters,
): Promise<{ items: Task[]; counts: Partial<Record<TaskType, number>>; cursor: string | null }> {
  const [tasks, counts] = await Promise.all([listOpenTasks(deps, organisationKey, page, filters), countOpenTasks(deps, organisationKey, filters.roles)]);
  return { items: tasks.items, counts, cursor: tasks.cursor };
}
