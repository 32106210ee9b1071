// Appeals of an enterprise against a rejection or a sanction (keys: keys.ts `appeal`): the appeal's own item,
// in the enterprise's list on gsi1 and in the department's list of all appeals on gsi2. Every change is conditional on the version read.
// One open appeal per decision or sanction: a marker item (`openMarker`) written with the appeal and deleted when
// it closes (inadmissible, or its outcome), so two concurrent appeals against the same decision leave one.
// The outcome is written with its effect (restored recognitions, a lifted exclusion, a re-opened file) in one transaction.
import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { appealClosed, type Appeal, type AppealedDecision, type AppealEffect, type AppealFacts, type RestoredRecognition } from '../domain/appeals.ts';
import { recognitionChangedEvent } from '../domain/feed.ts';
import { recognitionPathId, type Recognition } from '../domain/recognitions.ts';
import { closedFileWrites, getApplication } from './applications.ts';
import { historyItem } from './history.ts';
import * as keys from './keys.ts';
import { outboxPut } from './outbox.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';
import { getRecognitions, recognitionItem } from './recognitions.ts';
import { ok, refused, type Result } from './result.ts';
import { getSanction } from './sanctions.ts';
import { failedConditionIndex } from './versioned-write.ts';

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

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const markerOf = (a: Pick<Appeal, 'against'>) =>
  keys.appeal.openMarker(a.against.kind, a.against.kind === 'decision' ? a.against.applicationId : a.against.sanctionId);

/** The appeal at its next version if still at `expectedVersion`, and, once it closes, its marker released. */
function savedAppealItems(table: string, appeal: Appeal, expectedVersion: number): TransactItem[] {
  return [
    {
      Put: {
        TableName: table,
        Item: appealItem(appeal),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': expectedVersion },
      },
    },
    ...(appealClosed(appeal)
      ? [
          {
            Delete: {
              TableName: table,
              Key: markerOf(appeal),
              ConditionExpression: 'attribute_not_exists(pk) OR appealId = :id',
              ExpressionAttributeValues: { ':id': appeal.id },
            },
          },
        ]
      : []),
  ];
}

async function transact<C extends string>(deps: Dependencies, items: TransactItem[], conflictOf: (index: number) => C): Promise<Result<void, C>> {
  try {
    await deps.db.send(new TransactWriteCommand({ TransactItems: items }));
    return ok(undefined);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === undefined) throw error;
    return refused(conflictOf(failed));
  }
}

/** Records a new appeal with the marker of its decision or sanction: refused while another appeal against it is open. */
export async function lodgeAppeal(deps: Dependencies, appeal: Appeal): Promise<Result<Appeal, 'version-conflict' | 'appeal-already-open'>> {
  const table = deps.config.TABLE_NAME;
  const done = await transact(
    deps,
    [
      // The id is new: the condition only guards against a reused one.
      { Put: { TableName: table, Item: appealItem(appeal), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: table, Item: { ...markerOf(appeal), appealId: appeal.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ],
    (index) => (index === 1 ? 'appeal-already-open' : 'version-conflict'),
  );
  return done.ok ? ok(appeal) : done;
}

/** Replaces the appeal if it is still at `expectedVersion` (the department's confirmation); an inadmissible one frees its marker. */
export async function saveAppeal(deps: Dependencies, next: Appeal, expectedVersion: number): Promise<Result<Appeal, 'version-conflict'>> {
  const saved = { ...next, version: expectedVersion + 1 };
  const done = await transact(deps, savedAppealItems(deps.config.TABLE_NAME, saved, expectedVersion), () => 'version-conflict' as const);
  return done.ok ? ok(saved) : done;
}

/** What an outcome's effect needs: the sanction and the recognitions it concerned, or the decided file. */
export async function getAppealFacts(deps: Dependencies, appeal: Appeal): Promise<AppealFacts> {
  if (appeal.against.kind === 'decision') return { recognitions: [], application: await getApplication(deps, appeal.against.applicationId) };
  const sanction = await getSanction(deps, appeal.against.sanctionId);
  return { sanction, recognitions: sanction?.affectedRecognitions.length ? await getRecognitions(deps, sanction.affectedRecognitions) : [] };
}

export type OutcomeConflict = 'version-conflict' | 'effect-changed' | 'workplace-taken';

/** The lock an active recognition or an open file holds again: refused when something else took it meanwhile. */
const lockTaken = (table: string, establishmentNumber: string, programmeId: string, holder: string, holderKind: 'recognition' | 'application') => ({
  Put: {
    TableName: table,
    Item: { ...keys.application.lock(establishmentNumber, programmeId), holder, holderKind },
    ConditionExpression: 'attribute_not_exists(pk) OR holder = :self',
    ExpressionAttributeValues: { ':self': holder },
  },
});

/**
 * A restored recognition at its next version with its history; a revocation undone also takes its lock back and
 * records the outbox event `restored` (one per appeal and recognition) for the event feed.
 */
function restorationItems(
  table: string,
  r: RestoredRecognition,
  at: string,
  revocationUndone: { appealId: string } | undefined,
): { saved: Recognition; items: TransactItem[] } {
  const takesLock = revocationUndone !== undefined;
  const saved = { ...r.recognition, version: r.expectedVersion + 1 };
  return {
    saved,
    items: [
      {
        Put: {
          TableName: table,
          Item: recognitionItem(saved),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': r.expectedVersion },
        },
      },
      { Put: { TableName: table, Item: historyItem(keys.recognition.pk(saved.id), at, r.change) } },
      ...(takesLock ? [lockTaken(table, saved.establishmentNumber, saved.programmeId, saved.id, 'recognition')] : []),
      ...(revocationUndone
        ? [
            outboxPut(
              table,
              recognitionChangedEvent(saved, 'restored', at, {
                appealId: revocationUndone.appealId,
                eventId: `${revocationUndone.appealId}-${recognitionPathId(saved.id)}-restored`,
              }),
              at,
            ),
          ]
        : []),
    ],
  };
}

/** The effect's writes, and what each kind of write that can fail means. */
function effectItems(table: string, effect: AppealEffect, at: string, appealId: string) {
  if (effect.kind === 'none') return { items: [] as TransactItem[], recognitions: [] as Recognition[], application: undefined };
  if (effect.kind === 'reopenFile') {
    const { saved, items } = closedFileWrites(table, { ...effect.application, version: effect.expectedVersion }, effect.change, at);
    return { items: [...items, lockTaken(table, saved.establishmentNumber, saved.programmeId, saved.id, 'application')], recognitions: [], application: saved };
  }
  if (effect.kind === 'restoreMentor') {
    const restorations = effect.restored.map((r) => restorationItems(table, r, at, undefined));
    return { items: restorations.flatMap((r) => r.items), recognitions: restorations.map((r) => r.saved), application: undefined };
  }
  const restorations = effect.restored.map((r) => restorationItems(table, r, at, { appealId }));
  const lift: TransactItem[] = effect.exclusion
    ? [
        {
          Delete: {
            TableName: table,
            Key: keys.sanction.exclusion(effect.exclusion.level, effect.exclusion.subject, effect.exclusion.organisationKey),
            // A later exclusion by the same organisation replaced this one: that one stays.
            ConditionExpression: 'attribute_not_exists(pk) OR sanctionId = :s',
            ExpressionAttributeValues: { ':s': effect.exclusion.sanctionId },
          },
        },
      ]
    : [];
  return { items: [...restorations.flatMap((r) => r.items), ...lift], recognitions: restorations.map((r) => r.saved), application: undefined };
}

/**
 * Records the committee's outcome with its effect, whole or not at all: the appeal (at the version read, its marker
 * released) and the restored recognitions with their history and locks, the lifted exclusion, or the re-opened file
 * with its history and lock. A recognition or file changed since it was read is `effect-changed`; a lock that
 * another file or recognition took meanwhile is `workplace-taken`.
 */
export async function recordAppealOutcome(
  deps: Dependencies,
  next: Appeal,
  expectedVersion: number,
  effect: AppealEffect,
): Promise<Result<{ appeal: Appeal; recognitions: Recognition[]; application: ReturnType<typeof effectItems>['application'] }, OutcomeConflict>> {
  const table = deps.config.TABLE_NAME;
  const at = next.outcome?.at ?? deps.clock.now().toISOString();
  const appeal = { ...next, version: expectedVersion + 1 };
  const own = savedAppealItems(table, appeal, expectedVersion);
  const { items, recognitions, application } = effectItems(table, effect, at, appeal.id);
  const all = [...own, ...items];
  const done = await transact(deps, all, (index) => {
    if (index < own.length) return 'version-conflict';
    const failed = all[index];
    return failed && 'Put' in failed && failed.Put && 'holderKind' in (failed.Put.Item ?? {}) ? 'workplace-taken' : 'effect-changed';
  });
  return done.ok ? ok({ appeal, recognitions, application }) : done;
}
