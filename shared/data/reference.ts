// Reference data items (keys: `reference` in keys.ts): one partition per kind, the record's id as sort key, the
// record's fields plus `version`, `updatedAt`, `updatedBy` (a record's own `version` field is stored as
// `recordVersion`). A list is one Query on the kind's partition.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import type { ReferenceKind } from '../domain/reference.ts';
import { reference } from './keys.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';
import { ok, refused, type Result } from './result.ts';

export type Versioned<T> = { record: T; version: number; updatedAt: string; updatedBy: string };

/** Why a create or a replace did not happen. */
export type ReferenceConflict = 'already-exists' | 'reference-not-found' | 'version-conflict';

const meta = ['pk', 'sk', 'version', 'updatedAt', 'updatedBy', 'recordVersion'];
// An agreement model has a field named version ("2024.1") that would clash with the item's concurrency
// version, so that field is stored as recordVersion and renamed back on reading.
const ownVersion = 'recordVersion';

function toItem(record: { id: string }): Record<string, unknown> {
  const { version, ...rest } = record as { id: string; version?: unknown };
  return version === undefined ? rest : { ...rest, [ownVersion]: version };
}

function fromItem<T>(item: Record<string, unknown>): Versioned<T> {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) if (!meta.includes(name)) record[name] = value;
  if (item[ownVersion] !== undefined) record.version = item[ownVersion];
  return { record: record as T, version: item.version as number, updatedAt: item.updatedAt as string, updatedBy: item.updatedBy as string };
}

/** The record of a reference item another repository read in its BatchGet (key: keys.ts `reference.key`). */
export const referenceRecordOf = <T>(item: Record<string, unknown> | undefined): T | undefined => (item ? fromItem<T>(item).record : undefined);
/** The DynamoDB item of a reference record (also what a BatchGet of reference keys returns). */
export const referenceFromItem = fromItem;

export async function getReference<T>(deps: Dependencies, kind: ReferenceKind, id: string): Promise<Versioned<T> | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: reference.key(kind, id) }));
  return result.Item ? fromItem<T>(result.Item) : undefined;
}

export async function listReference<T>(
  deps: Dependencies,
  kind: ReferenceKind,
  page: { cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<{ items: Versioned<T>[]; cursor: string | null }> {
  const partition = reference.pk(kind);
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ExclusiveStartKey: decodeCursor(page.cursor, { attribute: 'pk', value: partition }),
      Limit: page.limit ?? 100,
    }),
  );
  return { items: (result.Items ?? []).map((item) => fromItem<T>(item)), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/** All records of a kind (reference lists are small: tens to hundreds of rows). */
export async function allReference<T>(deps: Dependencies, kind: ReferenceKind): Promise<T[]> {
  const records: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await listReference<T>(deps, kind, { ...(cursor ? { cursor } : {}), limit: 500 });
    records.push(...page.items.map((i) => i.record));
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return records;
}

/** Creates a record at version 1, unless one with its id exists. */
export async function createReference<T extends { id: string }>(
  deps: Dependencies,
  kind: ReferenceKind,
  record: T,
  by: string,
): Promise<Result<Versioned<T>, 'already-exists'>> {
  const updatedAt = deps.clock.now().toISOString();
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: { ...toItem(record), ...reference.key(kind, record.id), version: 1, updatedAt, updatedBy: by },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return refused('already-exists');
    throw error;
  }
  return ok({ record, version: 1, updatedAt, updatedBy: by });
}

/**
 * Replaces a record if its stored version is still `expectedVersion` (optimistic concurrency): one conditional
 * PutItem, whose failure returns the stored item, if any, to tell an unknown id from a stale version.
 */
export async function replaceReference<T extends { id: string }>(
  deps: Dependencies,
  kind: ReferenceKind,
  record: T,
  expectedVersion: number,
  by: string,
): Promise<Result<Versioned<T>, 'reference-not-found' | 'version-conflict'>> {
  const updatedAt = deps.clock.now().toISOString();
  const version = expectedVersion + 1;
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: { ...toItem(record), ...reference.key(kind, record.id), version, updatedAt, updatedBy: by },
        ConditionExpression: 'attribute_exists(pk) AND version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return refused(error.Item ? 'version-conflict' : 'reference-not-found');
    throw error;
  }
  return ok({ record, version, updatedAt, updatedBy: by });
}

/**
 * Writes the repository's reference files into the table. A record that already exists is left alone,
 * so edits the department made through the API are never overwritten by a deploy or a restart.
 */
export async function seedReference(deps: Dependencies, kind: ReferenceKind, records: { id: string }[]): Promise<number> {
  let created = 0;
  for (const record of records) if ((await createReference(deps, kind, record, 'seed')).ok) created += 1;
  return created;
}

/** Seeds every kind of a set of reference files (reference-data/); returns how many records were new. */
export async function seedReferenceFiles(deps: Dependencies, files: Record<ReferenceKind, { id: string }[]>): Promise<number> {
  let created = 0;
  for (const kind of Object.keys(files) as ReferenceKind[]) created += await seedReference(deps, kind, files[kind]);
  return created;
}
