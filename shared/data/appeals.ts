// Appeals of an enterprise against a rejection or a sanction (keys: keys.ts `appeal`): the appeal's own item,
// in the enterprise's list on gsi1 and in the department's list of all appeals on gsi2. Every change is conditional on the version read.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import type { Appeal, AppealedDecision } from '../domain/appeals.ts';
import { getApplication } from './applications.ts';
import * as keys from './keys.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';
import { ok, refused, type Result } from './result.ts';
import { getSanction } from './sanctions.ts';

export type { Appeal } from '../domain/appeals.ts';

/** In the enterprise's list (gsi1) and in the department's list of all appeals (gsi2, by status: a status change moves it). */
const appealItem = (a: Appeal) => ({
  ...keys.appeal.key(a.id),
  gsi1pk: keys.enterprise.index(a.enterpriseNumber),
  gsi1sk: keys.appeal.enterpriseIndexSk(a.id),
  gsi2pk: keys.appeal.listIndex,
  gsi2sk: keys.appeal.listIndexSk(a.status, a.receivedAt, a.id),
  ...a,
});

const fromItem = ({ pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ...appeal }: Record<string, unknown>) => appeal as Appeal;

export async function getAppeal(deps: Dependencies, id: string): Promise<Appeal | undefined> {
  const item = (await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.appeal.key(id), ConsistentRead: true }))).Item;
  return item ? fromItem(item) : undefined;
}

export type AppealPage = { items: Appeal[]; cursor: string | null };
type PageRequest = { status?: string | undefined; cursor?: string | undefined; limit?: number | undefined };

/**
 * The enterprise's appeals, newest first: one Query on its gsi1 collection. A status is a filter there (an
 * enterprise has few appeals), so a page can be shorter than `limit` while `cursor` is not null.
 */
export async function listAppealsOfEnterprise(deps: Dependencies, enterpriseDigits: string, page: PageRequest): Promise<AppealPage> {
  const partition = keys.enterprise.index(enterpriseDigits);
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ...(page.status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: { ':pk': partition, ':prefix': keys.appeal.enterpriseIndexSkPrefix, ...(page.status ? { ':status': page.status } : {}) },
      ExclusiveStartKey: decodeCursor(page.cursor, { attribute: 'gsi1pk', value: partition }),
      Limit: page.limit ?? 25,
      ScanIndexForward: false,
    }),
  );
  return { items: (result.Items ?? []).map(fromItem), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/** Every appeal, for the department: one Query on gsi2, per status (its key condition) and newest first. */
export async function listAllAppeals(deps: Dependencies, page: PageRequest): Promise<AppealPage> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi2',
      KeyConditionExpression: page.status ? 'gsi2pk = :pk AND begins_with(gsi2sk, :status)' : 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.appeal.listIndex, ...(page.status ? { ':status': keys.appeal.listIndexStatusPrefix(page.status) } : {}) },
      ExclusiveStartKey: decodeCursor(page.cursor, { attribute: 'gsi2pk', value: keys.appeal.listIndex }),
      Limit: page.limit ?? 25,
      ScanIndexForward: false,
    }),
  );
  return { items: (result.Items ?? []).map(fromItem), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/**
 * The appeals against one file's decision, oldest first: the enterprise's appeals (gsi1, a few per enterprise)
 * filtered on the file, every page read.
 */
export async function appealsAgainstApplication(deps: Dependencies, enterpriseDigits: string, applicationId: string): Promise<Appeal[]> {
  const found: Appeal[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
        FilterExpression: 'against.kind = :decision AND against.applicationId = :application',
        ExpressionAttributeValues: {
          ':pk': keys.enterprise.index(enterpriseDigits),
          ':prefix': keys.appeal.enterpriseIndexSkPrefix,
          ':decision': 'decision',
          ':application': applicationId,
        },
        ExclusiveStartKey: start,
      }),
    );
    found.push(...(result.Items ?? []).map(fromItem));
    start = result.LastEvaluatedKey;
  } while (start);
  return found;
}

/** The decision an appeal is against: a file's decision (appealable when it is a rejection) or a sanction. */
export async function getAppealedDecision(deps: Dependencies, against: Appeal['against']): Promise<AppealedDecision | undefined> {
  if (against.kind === 'decision') {
    const application = await getApplication(deps, against.applicationId);
    return (
      application && {
        enterpriseNumber: application.enterpriseNumber,
        decisionAt: application.decision?.at,
        appealable: application.decision?.decision === 'notRecognised',
      }
    );
  }
  const sanction = await getSanction(deps, against.sanctionId);
  return sanction && { enterpriseNumber: sanction.enterpriseNumber, decisionAt: sanction.decidedAt, appealable: true };
}

async function put(deps: Dependencies, appeal: Appeal, expectedVersion: number | null): Promise<Result<Appeal, 'version-conflict'>> {
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: appealItem(appeal),
        ...(expectedVersion === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return refused('version-conflict');
    throw error;
  }
  return ok(appeal);
}

/** Records a new appeal (its id is new: the condition only guards against a reused one). */
export const lodgeAppeal = (deps: Dependencies, appeal: Appeal) => put(deps, appeal, null);

/** Replaces the appeal if it is still at `expectedVersion` (the department's confirmation, the committee's outcome). */
export const saveAppeal = (deps: Dependencies, next: Appeal, expectedVersion: number) => put(deps, { ...next, version: expectedVersion + 1 }, expectedVersion);
