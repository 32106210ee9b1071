// Tasks (keys: `task` in keys.ts): one item per task in its organisation's partition; while open also in gsi1
// under the organisation's open-task partition, sorted by due date (a sparse index), so a dashboard is one
// Query sorted by due date. Task ids are deterministic (e.g. `renewal:<recognition>`): creating twice creates once.
//
// Counts per type live on one counter item per organisation, changed in the same transaction that opens or
// closes a task, so a dashboard never reads every task to count them. Each counter attribute is
// `n#<type>#<roles, sorted, comma-joined>`: a caller's count per type is the sum of the attributes whose roles
// meet the caller's, which is exact even for a task shown to several roles. The counter item is also in the
// open-task partition of gsi1, sorted before every due date, so the first page of a dashboard is one Query that
// starts with the counts; and in the sparse gsi2 under the organisations-with-tasks partition, so the daily
// digest lists the organisations that ever had a task with one Query instead of a Scan.
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

/**
 * The counter item of an organisation whose open tasks are `tasks`, as the open and close transactions keep it:
 * for writing many tasks at once (the bench seeds thousands with a batch write).
 */
export function countsItem(organisationKey: string, tasks: readonly Pick<Task, 'type' | 'roles'>[]) {
  const counts: Record<string, number> = {};
  for (const t of tasks) counts[countAttribute(t.type, t.roles)] = (counts[countAttribute(t.type, t.roles)] ?? 0) + 1;
  return {
    ...countsKey(organisationKey),
    ...counts,
    gsi1pk: keys.openIndex(organisationKey),
    gsi1sk: keys.countsOpenIndexSk,
    gsi2pk: keys.organisationsIndex,
    gsi2sk: organisationKey,
    organisationKey,
  };
}

/** The counter update that goes into the transaction opening (+1) or closing (-1) a task. */
function countUpdate(deps: Dependencies, task: Pick<Task, 'organisationKey' | 'type' | 'roles'>, delta: 1 | -1) {
  return {
    TableName: deps.config.TABLE_NAME,
    Key: countsKey(task.organisationKey),
    UpdateExpression: 'ADD #n :delta SET gsi1pk = :open, gsi1sk = :first, gsi2pk = :orgs, gsi2sk = :org, organisationKey = :org',
    ExpressionAttributeNames: { '#n': countAttribute(task.type, task.roles) },
    ExpressionAttributeValues: {
      ':delta': delta,
      ':open': keys.openIndex(task.organisationKey),
      ':first': keys.countsOpenIndexSk,
      ':orgs': keys.organisationsIndex,
      ':org': task.organisationKey,
    },
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

/**
 * Opens the task again when it was done (or creates it): for what an undone step asks anew, such as the free
 * places of a recognition an upheld appeal restores. An open task stays as it is; returns whether it opened.
 */
export async function reopenTask(deps: Dependencies, task: Task): Promise<boolean> {
  try {
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: deps.config.TABLE_NAME,
              Item: taskItem(task),
              ConditionExpression: 'attribute_not_exists(pk) OR #status = :done',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':done': 'done' },
            },
          },
          { Update: countUpdate(deps, task, 1) },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

/**
 * Moves the due date of an open task (a review deadline after a pause): its place in the open index moves with
 * it. An absent or closed task changes nothing.
 */
export async function moveTaskDueDate(deps: Dependencies, organisationKey: string, id: string, dueDate: string | null): Promise<boolean> {
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.TABLE_NAME,
        Key: key(organisationKey, id),
        UpdateExpression: 'SET dueDate = :due, gsi1sk = :sk',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':due': dueDate, ':sk': keys.openIndexSk(dueDate, id), ':open': 'open' },
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
 * while `cursor` is not null; the next page continues where the Query stopped. With `withCounts`, the filter
 * lets the organisation's counter item through too (it sorts first, so only a first page finds it).
 */
async function queryOpenIndex(
  deps: Dependencies,
  organisationKey: string,
  page: { cursor?: string | undefined; limit: number },
  filters: TaskFilters,
  withCounts: boolean,
): Promise<{ items: Record<string, unknown>[]; cursor: string | null }> {
  const partition = { attribute: 'gsi1pk', value: keys.openIndex(organisationKey) };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':pk': partition.value };
  const conditions: string[] = [];
  if (filters.roles) {
    names['#roles'] = 'roles';
    const anyRole = filters.roles.map((role, i) => {
      values[`:r${i}`] = role;
      return `contains(#roles, :r${i})`;
    });
    conditions.push(`(${anyRole.join(' OR ')})`);
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
  if (withCounts && conditions.length) values[':counts'] = keys.countsSk;
  const filter = conditions.length ? (withCounts ? `sk = :counts OR ${grouped(conditions)}` : conditions.join(' AND ')) : undefined;
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: filters.dueBefore ? 'gsi1pk = :pk AND gsi1sk < :due' : 'gsi1pk = :pk',
      ...(filter ? { FilterExpression: filter } : {}),
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      ExclusiveStartKey: decodeCursor(page.cursor, partition),
      Limit: page.limit,
    }),
  );
  return { items: result.Items ?? [], cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/** The conditions ANDed, in parentheses once (DynamoDB refuses redundant ones; the roles term has its own). */
const grouped = (conditions: string[]) => (conditions.length === 1 && conditions[0]!.startsWith('(') ? conditions[0]! : `(${conditions.join(' AND ')})`);

const isCounter = (item: Record<string, unknown>) => item.sk === keys.countsSk;
const toTask = ({ pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, ...task }: Record<string, unknown>) => task as Task;

/** A page of the organisation's open tasks, soonest due first (see queryOpenIndex for what a page holds). */
export async function listOpenTasks(
  deps: Dependencies,
  organisationKey: string,
  page: { cursor?: string | undefined; limit?: number | undefined },
  filters: TaskFilters = {},
) {
  if (filters.roles?.length === 0) return { items: [] as Task[], cursor: null };
  const result = await queryOpenIndex(deps, organisationKey, { cursor: page.cursor, limit: page.limit ?? 50 }, filters, false);
  return { items: result.items.filter((item) => !isCounter(item)).map(toTask), cursor: result.cursor };
}

/** The counts per type of a counter item for a caller holding `roles` (all roles when omitted). */
function countsOf(counter: Record<string, unknown> | undefined, roles?: readonly string[]): Partial<Record<TaskType, number>> {
  const counts: Partial<Record<TaskType, number>> = {};
  for (const [name, value] of Object.entries(counter ?? {})) {
    if (!name.startsWith('n#') || typeof value !== 'number' || value <= 0) continue;
    const [, type, taskRoles] = name.split('#') as [string, TaskType, string];
    if (roles && !taskRoles.split(',').some((r) => roles.includes(r))) continue;
    counts[type] = (counts[type] ?? 0) + value;
  }
  return counts;
}

const readCounter = async (deps: Dependencies, organisationKey: string) =>
  (await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: countsKey(organisationKey) }))).Item;

/** Open tasks per type for a caller holding `roles` (all roles when omitted): one GetItem of the counter. */
export async function countOpenTasks(deps: Dependencies, organisationKey: string, roles?: string[]): Promise<Partial<Record<TaskType, number>>> {
  return countsOf(await readCounter(deps, organisationKey), roles);
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

/**
 * One page of a dashboard: the open tasks for the caller and the counts per type. The first page is one Query,
 * which meets the counter item before the tasks (it asks for one item more, for the counter); a later page reads
 * the counter with a GetItem beside its Query. A first page without the counter (no task yet, or a counter not
 * yet indexed) reads it with a GetItem after all.
 */
export async function readDashboard(
  deps: Dependencies,
  organisationKey: string,
  page: { cursor?: string | undefined; limit?: number | undefined },
  filters: TaskFilters,
): Promise<{ items: Task[]; counts: Partial<Record<TaskType, number>>; cursor: string | null }> {
  const limit = page.limit ?? 50;
  if (filters.roles?.length === 0) return { items: [], counts: {}, cursor: null };
  if (page.cursor !== undefined) {
    const [result, counter] = await Promise.all([
      queryOpenIndex(deps, organisationKey, { cursor: page.cursor, limit }, filters, false),
      readCounter(deps, organisationKey),
    ]);
    return { items: result.items.map(toTask), counts: countsOf(counter, filters.roles), cursor: result.cursor };
  }
  const result = await queryOpenIndex(deps, organisationKey, { limit: limit + 1 }, filters, true);
  const indexed = result.items.find(isCounter);
  if (indexed) return { items: result.items.filter((item) => !isCounter(item)).map(toTask), counts: countsOf(indexed, filters.roles), cursor: result.cursor };
  // The extra item the Query read was a task, then: the page ends before it, where the next one starts.
  const tasks = result.items.slice(0, limit);
  const last = tasks.length < result.items.length ? tasks[tasks.length - 1] : undefined;
  const cursor = last ? encodeCursor({ pk: last.pk, sk: last.sk, gsi1pk: last.gsi1pk, gsi1sk: last.gsi1sk } as never) : result.cursor;
  return { items: tasks.map(toTask), counts: countsOf(await readCounter(deps, organisationKey), filters.roles), cursor };
}
