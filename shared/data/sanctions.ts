// Sanctions and exclusions (keys: keys.ts `sanction`; access patterns: README.md).
//   sanction:  its own item, and in the enterprise's list on gsi1
//   exclusion: one per excluded establishment or enterprise and per organisation that excluded it
//              (`partnership:<id>` or `department:dwse`): blocks submissions to that partnership (the
//              department's: to every partnership)
//   event:     the outbox (outbox.ts): events for other contexts, written in the same transaction
// Each sanction is written with what it does (revocations, the withdrawn mentor) in one transaction.
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { RecognitionRevoked } from '../../events/recognition-revoked.ts';
import type { Dependencies } from '../adapters/dependencies.ts';
import { mentorWithdrawnEvent } from '../domain/feed.ts';
import { organisationKey } from '../domain/organisations.ts';
import { recognitionPathId, type Application, type FileChange, type Recognition } from '../domain/recognitions.ts';
import { closedBySanction, type Sanction } from '../domain/sanctions.ts';
import { closedFileWrites } from './applications.ts';
import type { Actor } from '../domain/actors.ts';
import { batchGetItems, keyString } from './batch-get.ts';
import { historyItem } from './history.ts';
import * as keys from './keys.ts';
import { outboxPut, suspensionPuts } from './outbox.ts';
import { establishmentsOf } from './kbo-lookups.ts';
import { getRecognitions, recognitionItem, recognitionLinksKey } from './recognitions.ts';
import { ok, refused, type Result } from './result.ts';

export type { Sanction } from '../domain/sanctions.ts';

export const sanctionItem = (s: Sanction) => ({
  ...keys.sanction.key(s.id),
  gsi1pk: keys.enterprise.index(s.enterpriseNumber),
  gsi1sk: keys.sanction.enterpriseIndexSk(s.id),
  ...s,
});
const sanctionPut = (table: string, s: Sanction) => ({ Put: { TableName: table, Item: sanctionItem(s), ConditionExpression: 'attribute_not_exists(pk)' } });

export async function getSanction(deps: Dependencies, id: string): Promise<Sanction | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.sanction.key(id) }));
  if (!result.Item) return undefined;
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, ...s } = result.Item;
  return s as Sanction;
}

/**
 * Whether a new submission to `partnershipId` is barred for this establishment or enterprise on a date: an
 * exclusion by that partnership, or by the department (which bars every partnership). One BatchGet of 4 keys.
 */
export async function activeExclusion(
  deps: Dependencies,
  subject: { establishmentDigits: string; enterpriseDigits: string; partnershipId: string },
  today: string,
): Promise<'establishment' | 'enterprise' | undefined> {
  const deciders = [organisationKey('partnership', subject.partnershipId), organisationKey('department', 'dwse')];
  const exclusions = [
    ...deciders.map((by) => ({ level: 'establishment' as const, key: keys.sanction.exclusion('establishment', subject.establishmentDigits, by) })),
    ...deciders.map((by) => ({ level: 'enterprise' as const, key: keys.sanction.exclusion('enterprise', subject.enterpriseDigits, by) })),
  ];
  const found = await batchGetItems(
    deps,
    exclusions.map((e) => e.key),
  );
  for (const { level, key } of exclusions) {
    const item = found.get(keyString(key));
    if (item && (item.until === null || String(item.until) >= today)) return level;
  }
  return undefined;
}

/**
 * The writes that revoke one recognition, for a caller's transaction: the recognition (version-checked, out of
 * the public search), its lock released so a new application is possible later, its history, and the outbox
 * event. Shared by sanctions and by the partnership's decision on a KBO change.
 */
export function revocationWrites(
  table: string,
  recognition: Recognition,
  input: { at: string; actor: Actor; reasons: string; eventId: string } & (
    | { cause: 'sanction'; sanctionId: string }
    | { cause: 'kboChange'; changeId: string }
  ),
  /** A sanction releases the locks itself (lockReleases), since the recognition's open renewal may hold it. */
  options: { releaseLock: boolean } = { releaseLock: true },
) {
  const { at } = input;
  const sanctionId = input.cause === 'sanction' ? input.sanctionId : null;
  const changeId = input.cause === 'kboChange' ? input.changeId : null;
  const revoked: Recognition = {
    ...recognition,
    status: 'revoked',
    placeAvailable: false,
    revocation:
      input.cause === 'sanction' ? { sanctionId: input.sanctionId, reasons: input.reasons, at } : { sanctionId: null, changeId, reasons: input.reasons, at },
    version: recognition.version + 1,
  };
  const event: RecognitionRevoked = {
    type: 'recognition-revoked',
    eventId: input.eventId,
    recognitionId: recognition.id,
    enterpriseNumber: recognition.enterpriseNumber,
    establishmentNumber: recognition.establishmentNumber,
    programmeId: recognition.programmeId,
    partnershipId: recognition.partnershipId,
    cause: input.cause,
    sanctionId,
    changeId,
    reasons: input.reasons,
    revokedAt: at,
  };
  const items = [
    {
      Put: {
        TableName: table,
        Item: recognitionItem(revoked),
        ConditionExpression: 'version = :v AND #status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':v': recognition.version, ':active': 'active' },
      },
    },
    ...(options.releaseLock ? lockReleases(table, [{ ...recognition, holder: recognition.id }]) : []),
    {
      Put: {
        TableName: table,
        Item: historyItem(keys.recognition.pk(recognition.id), at, {
          by: input.actor.userId,
          actor: input.actor,
          action: 'revoked',
          before: { status: 'active' },
          after: { status: 'revoked', ...(sanctionId ? { sanctionId } : { changeId }) },
        }),
      },
    },
    outboxPut(table, event, at),
  ];
  return { revoked, items };
}

/**
 * The deletes that free the locks of revoked recognitions and closed files: one per establishment and programme
 * (a transaction may touch an item once), allowed while the lock is gone or held by one of them. A lock held by
 * anything else (a renewal the sanction did not close) fails the transaction: nothing is written.
 */
function lockReleases(table: string, holders: { establishmentNumber: string; programmeId: string; holder: string }[]) {
  const locks = new Map<string, { key: keys.TableKey; holders: string[] }>();
  for (const h of holders) {
    const key = keys.application.lock(h.establishmentNumber, h.programmeId);
    const entry = locks.get(key.pk) ?? { key, holders: [] };
    entry.holders.push(h.holder);
    locks.set(key.pk, entry);
  }
  return [...locks.values()].map(({ key, holders: ids }) => ({
    Delete: {
      TableName: table,
      Key: key,
      ConditionExpression: `attribute_not_exists(pk) OR holder IN (${ids.map((_, i) => `:h${i}`).join(', ')})`,
      ExpressionAttributeValues: Object.fromEntries(ids.map((id, i) => [`:h${i}`, id])),
    },
  }));
}

/** The revocation writes of a sanction (see revocationWrites); the event id is unique per sanction and recognition. */
const revokedBy = (table: string, sanction: Sanction, recognition: Recognition, actor: Actor) =>
  revocationWrites(
    table,
    recognition,
    {
      at: sanction.decidedAt,
      actor,
      reasons: sanction.reasons,
      cause: 'sanction',
      sanctionId: sanction.id,
      eventId: `${sanction.id}-${recognitionPathId(recognition.id)}`,
    },
    { releaseLock: false },
  );

/** One transaction holds at most 100 writes. */
const maxTransactionItems = 100;

/**
 * The writes of a sanction that revokes recognitions and closes the open files of the same workplace: the
 * sanction, what the caller adds (an exclusion), each revocation, each closed file (version-checked, with its
 * history) and the locks they held. Undefined when it does not fit in one transaction.
 */
function sanctionWrites(table: string, sanction: Sanction, recognitions: Recognition[], files: Application[], extra: TransactItem[], actor: Actor) {
  const revocations = recognitions.map((recognition) => revokedBy(table, sanction, recognition, actor));
  const closures = files.map((file) => {
    const { application, change } = closedBySanction(file, sanction, actor);
    return closedFileWrites(table, application, change, sanction.decidedAt);
  });
  const locks = lockReleases(table, [
    ...recognitions.map((r) => ({ establishmentNumber: r.establishmentNumber, programmeId: r.programmeId, holder: r.id })),
    ...files.map((f) => ({ establishmentNumber: f.establishmentNumber, programmeId: f.programmeId, holder: f.id })),
  ]);
  const items: TransactItem[] = [sanctionPut(table, sanction), ...extra, ...revocations.flatMap((r) => r.items), ...closures.flatMap((c) => c.items), ...locks];
  if (items.length > maxTransactionItems) return undefined;
  return { items, revoked: revocations.map((r) => r.revoked), closed: closures.map((c) => c.saved) };
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What a sanction changed: the recognitions it revoked and the files it closed. */
export type Sanctioned = { revoked: Recognition[]; closed: Application[] };

async function commitSanction(deps: Dependencies, writes: { items: TransactItem[] }): Promise<boolean> {
  try {
    await deps.db.send(new TransactWriteCommand({ TransactItems: writes.items }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}

/** Records the sanction and revokes its one recognition, closing the open renewal of it, in one transaction. */
export async function revokeRecognition(
  deps: Dependencies,
  recognition: Recognition,
  sanction: Sanction,
  renewals: Application[],
  actor: Actor,
): Promise<Result<Sanctioned, 'recognition-changed' | 'too-many-recognitions'>> {
  const writes = sanctionWrites(deps.config.TABLE_NAME, sanction, [recognition], renewals, [], actor);
  if (!writes) return refused('too-many-recognitions');
  if (!(await commitSanction(deps, writes))) return refused('recognition-changed');
  return ok({ revoked: writes.revoked, closed: writes.closed });
}

/**
 * One transaction: the sanction, and per recognition the recognition, its history entry, its outbox event and
 * perhaps its `suspended` event.
 */
export const maxMentorWithdrawals = Math.floor((maxTransactionItems - 1) / 4);

/**
 * Records the sanction with every recognition whose mentor (the person) it withdrew, each if still at the version
 * read, with its history entry and its outbox event `mentor-withdrawn` (for the event feed), and `suspended` for
 * each one left without a mentor that counts (suspensionEvent: the nightly job finds it recorded): whole or not at all.
 */
export async function withdrawMentors(
  deps: Dependencies,
  input: { withdrawals: { recognition: Recognition; expectedVersion: number; change: FileChange }[]; sanction: Sanction },
): Promise<Result<Recognition[], 'version-conflict' | 'too-many-recognitions'>> {
  if (input.withdrawals.length > maxMentorWithdrawals) return refused('too-many-recognitions');
  const table = deps.config.TABLE_NAME;
  const saved = input.withdrawals.map((w) => ({ ...w.recognition, version: w.expectedVersion + 1 }));
  const items: TransactItem[] = [
    ...input.withdrawals.flatMap((w, i) => [
      {
        Put: {
          TableName: table,
          Item: recognitionItem(saved[i]!),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': w.expectedVersion },
        },
      },
      { Put: { TableName: table, Item: historyItem(keys.recognition.pk(w.recognition.id), input.sanction.decidedAt, w.change) } },
      outboxPut(table, mentorWithdrawnEvent(saved[i]!, String(w.change.after.mentorId), input.sanction), input.sanction.decidedAt),
      ...suspensionPuts(table, saved[i]!, input.sanction.decidedAt),
    ]),
    sanctionPut(table, input.sanction),
  ];
  if (!(await commitSanction(deps, { items }))) return refused('version-conflict');
  return ok(saved);
}

/**
 * The recognitions an exclusion is about: those ever decided on the establishment, or on every establishment
 * of the enterprise. Three requests whatever the number of establishments: the enterprise's establishments,
 * a BatchGet of their recognition links, a BatchGet of the recognitions.
 */
export async function recognitionsToExclude(
  deps: Dependencies,
  input: { level: 'establishment' | 'enterprise'; enterpriseDigits: string; establishmentDigits?: string | undefined },
): Promise<Result<Recognition[], 'establishment-not-found'>> {
  const ofEnterprise = await establishmentsOf(deps, input.enterpriseDigits);
  if (input.level === 'establishment' && !ofEnterprise.includes(input.establishmentDigits!)) return refused('establishment-not-found');
  const establishments = input.level === 'enterprise' ? ofEnterprise : [input.establishmentDigits!];
  if (!establishments.length) return ok([]);
  const links = await batchGetItems(deps, establishments.map(recognitionLinksKey), { consistent: true });
  const ids = [...links.values()].flatMap((item) => [...((item.recognitionIds as Set<string> | undefined) ?? [])]).sort();
  return ok(ids.length ? await getRecognitions(deps, ids) : []);
}

/**
 * One transaction holds at most 100 writes: the sanction, the exclusion, and 4 per revoked recognition (with its
 * lock), so at most this many recognitions; each open file it closes takes 2 more (3 with a lock of its own).
 */
export const maxRecognitionsPerSanction = Math.floor((maxTransactionItems - 2) / 4);

export type ExclusionConflict = 'too-many-recognitions' | 'recognition-changed';

/**
 * Excludes an establishment or enterprise, whole or not at all: in one transaction the sanction, the exclusion
 * (which bars new submissions to the excluding partnership, or to all for the department), the revocation
 * of every recognition given and the closing of every open file given (all version-checked, so a concurrent
 * change cancels all of it), with the locks they held.
 */
export async function excludeWithRevocations(
  deps: Dependencies,
  input: { sanction: Sanction; level: 'establishment' | 'enterprise'; subjectDigits: string; recognitions: Recognition[]; files: Application[]; actor: Actor },
): Promise<Result<Sanctioned, ExclusionConflict>> {
  const { sanction } = input;
  const table = deps.config.TABLE_NAME;
  const exclusion = [
    // An earlier exclusion by the same organisation that has not ended is replaced only by the same sanction.
    {
      Put: {
        TableName: table,
        Item: {
          ...keys.sanction.exclusion(input.level, input.subjectDigits, sanction.organisationKey),
          sanctionId: sanction.id,
          until: sanction.until,
          reasons: sanction.reasons,
          decidedAt: sanction.decidedAt,
        },
      },
    },
  ];
  const writes = sanctionWrites(table, sanction, input.recognitions, input.files, exclusion, input.actor);
  if (!writes) return refused('too-many-recognitions');
  if (!(await commitSanction(deps, writes))) return refused('recognition-changed');
  return ok({ revoked: writes.revoked, closed: writes.closed });
}
