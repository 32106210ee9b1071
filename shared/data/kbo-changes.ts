// KBO change records and the sync's checkpoints (keys: keys.ts, the kboChange and kbo sections).
//   change:     one item per change and partnership; in gsi1 under the partnership by status (its open or decided
//               changes, one Query) and in gsi2 under the extract by slice (the changes one slice of one file
//               produced, which the sync (re)sends to the changes queue).
//   checkpoint: how far the sync got in one Update file.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Dependencies } from '../adapters/dependencies.ts';
import {
  decisionEffect,
  decisionStep,
  type AffectedRecognition,
  type ChangeDecision,
  type ChangeKind,
  type ChangeStatus,
  type Decision,
  type DecisionRefusal,
  type KboChange,
  type RecognitionEffect,
  type SyncCounts,
} from '../domain/kbo-changes.ts';
import type { Actor } from '../domain/actors.ts';
import type { Address } from '../domain/kbo.ts';
import type { EstablishmentAddressChanged } from '../../events/establishment-address-changed.ts';
import type { KboChangeMessage } from '../../events/kbo-change.ts';
import { batchGetItems, keyString, type StoredItem } from './batch-get.ts';
import { historyItem } from './history.ts';
import * as keys from './keys.ts';
import { outboxPut } from './outbox.ts';
import type { KboChangeDecided } from '../../events/kbo-change-decided.ts';
import { getRecognition, recognitionItem, type Recognition } from './recognitions.ts';
import { failedConditionIndex } from './versioned-write.ts';
import { ok, refused, type Result } from './result.ts';
import { revocationWrites } from './sanctions.ts';
import type { ReadOptions } from './kbo.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

// The entity type lives in the domain; the re-export keeps the imports of other contexts' tests working.
export type { KboChange } from '../domain/kbo-changes.ts';

export function changeItem(change: KboChange) {
  return {
    ...keys.kboChange.key(change.id),
    gsi1pk: keys.kboChange.partnershipIndex(change.partnershipId),
    gsi1sk: keys.kboChange.partnershipIndexSk(change.status, change.detectedAt, change.id),
    gsi2pk: keys.kboChange.sliceIndex(change.extractNumber),
    gsi2sk: keys.kboChange.sliceIndexSk(change.slice, change.id),
    ...change,
    kind: 'kboChange',
    changeKind: change.kind,
  };
}

type Stored = Record<string, unknown>;
function fromItem(item: Stored): KboChange {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, kind: _g, changeKind, ...rest } = item;
  return { ...(rest as Omit<KboChange, 'kind'>), kind: changeKind as ChangeKind };
}

/**
 * Creates the records that do not exist yet (a re-run of a file or slice finds its earlier ones), up to 100
 * per TransactWriteItems, each with `attribute_not_exists`: a transaction cancelled on existing records is sent
 * again without them. Returns how many were new. A decided record is never overwritten.
 */
export async function putChanges(deps: Dependencies, changes: readonly KboChange[], onRequest: () => void = () => undefined): Promise<number> {
  const putBatch = async (batch: readonly KboChange[]): Promise<number> => {
    let pending = batch;
    while (pending.length) {
      try {
        onRequest();
        await deps.db.send(
          new TransactWriteCommand({
            TransactItems: pending.map((change) => ({
              Put: { TableName: deps.config.TABLE_NAME, Item: changeItem(change), ConditionExpression: 'attribute_not_exists(pk)' },
            })),
          }),
        );
        return pending.length;
      } catch (error) {
        const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        const existing = new Set(reasons.flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : [])));
        // Anything but "these exist already" (throttling, a conflict with another writer) is the caller's to retry.
        if (existing.size === 0 || reasons.some((r) => r.Code && r.Code !== 'None' && r.Code !== 'ConditionalCheckFailed')) throw error;
        pending = pending.filter((_, index) => !existing.has(index));
      }
    }
    return 0;
  };
  const batches: KboChange[][] = [];
  for (let i = 0; i < changes.length; i += 100) batches.push(changes.slice(i, i + 100));
  let created = 0;
  // Four transactions at a time (each up to 100 writes): DynamoDB Local runs them one by one, more gains nothing.
  for (let i = 0; i < batches.length; i += 4) created += (await Promise.all(batches.slice(i, i + 4).map(putBatch))).reduce((a, b) => a + b, 0);
  return created;
}

export async function getChange(deps: Dependencies, id: string): Promise<KboChange | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.kboChange.key(id), ConsistentRead: true }));
  return result.Item ? fromItem(result.Item) : undefined;
}

/** A change of the partnership; one of another partnership is not found: its existence is not the caller's business. */
export async function getOwnChange(deps: Dependencies, id: string, partnershipId: string): Promise<Result<KboChange, 'not-found'>> {
  const change = await getChange(deps, id);
  return change && change.partnershipId === partnershipId ? ok(change) : refused('not-found');
}

export async function listChanges(
  deps: Dependencies,
  partnershipId: string,
  query: { status?: ChangeStatus | undefined; cursor?: string | undefined; limit?: number | undefined },
) {
  const partition = { attribute: 'gsi1pk', value: keys.kboChange.partnershipIndex(partnershipId) };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: query.status ? 'gsi1pk = :pk AND begins_with(gsi1sk, :status)' : 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partition.value, ...(query.status ? { ':status': keys.kboChange.partnershipIndexStatusPrefix(query.status) } : {}) },
      ExclusiveStartKey: decodeCursor(query.cursor, partition),
      Limit: query.limit ?? 50,
    }),
  );
  return { items: (result.Items ?? []).map(fromItem), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/** What the changes queue and the file's report need of a stored change record, and no more. */
export type SliceChange = Pick<KboChange, 'id' | 'partnershipId' | 'kind'> & { entityNumber: string };

/** The changes one slice of one extract produced (also those a crashed earlier attempt stored). */
export async function changesOfSlice(
  deps: Dependencies,
  extractNumber: number,
  slice: number,
  onRequest: () => void = () => undefined,
): Promise<SliceChange[]> {
  const items: SliceChange[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    onRequest();
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :slice)',
        ExpressionAttributeValues: { ':pk': keys.kboChange.sliceIndex(extractNumber), ':slice': keys.kboChange.sliceIndexPrefix(slice) },
        ProjectionExpression: 'id, partnershipId, changeKind, entity.#number',
        ExpressionAttributeNames: { '#number': 'number' },
        ExclusiveStartKey: start,
      }),
    );
    items.push(
      ...(page.Items ?? []).map((i) => ({
        id: String(i.id),
        partnershipId: String(i.partnershipId),
        kind: i.changeKind as ChangeKind,
        entityNumber: String(i.entity?.number),
      })),
    );
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Sends one message per change, ten per request. A re-send is harmless: consumers are idempotent. */
export async function sendChangeMessages(deps: Dependencies, changes: readonly Pick<KboChange, 'id' | 'partnershipId'>[]): Promise<number> {
  const batches: Pick<KboChange, 'id' | 'partnershipId'>[][] = [];
  for (let i = 0; i < changes.length; i += 10) batches.push(changes.slice(i, i + 10));
  const send = async (batch: readonly Pick<KboChange, 'id' | 'partnershipId'>[]) => {
    const result = await deps.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: deps.config.KBO_CHANGES_QUEUE_URL,
        Entries: batch.map((c, n) => ({
          Id: String(n),
          MessageBody: JSON.stringify({ changeId: c.id, partnershipId: c.partnershipId } satisfies KboChangeMessage),
        })),
      }),
    );
    if (result.Failed?.length) throw new Error(`the changes queue refused ${result.Failed.length} messages: ${result.Failed.map((f) => f.Code).join(', ')}`);
  };
  // Eight requests in flight: a large Update has thousands of changes.
  for (let i = 0; i < batches.length; i += 8) await Promise.all(batches.slice(i, i + 8).map(send));
  return batches.length;
}

// --- checkpoints -----------------------------------------------------------------------------------------

export type Checkpoint = {
  extractNumber: number;
  fileKey: string;
  snapshotDate: string;
  extractTimestamp: string;
  sliceCount: number;
  /** The first slice not yet applied. */
  nextSlice: number;
  counts: SyncCounts;
  startedAt: string;
  finishedAt: string | null;
};

export async function getCheckpoint(deps: Dependencies, extractNumber: number): Promise<Checkpoint | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.kbo.checkpoint(extractNumber), ConsistentRead: true }));
  if (!result.Item) return undefined;
  const { pk: _a, sk: _b, ...checkpoint } = result.Item;
  return checkpoint as Checkpoint;
}

/** Creates the checkpoint of a file unless one exists (a resumed run keeps the first); returns the stored one. */
export async function startCheckpoint(deps: Dependencies, checkpoint: Checkpoint): Promise<Checkpoint> {
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: { ...keys.kbo.checkpoint(checkpoint.extractNumber), ...checkpoint },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return checkpoint;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return (await getCheckpoint(deps, checkpoint.extractNumber))!;
  }
}

/** Moves past one slice; only from that slice, so two runs of the same slice cannot both count it. */
export async function advanceCheckpoint(deps: Dependencies, extractNumber: number, slice: number, counts: SyncCounts, finished: boolean): Promise<boolean> {
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.TABLE_NAME,
        Key: keys.kbo.checkpoint(extractNumber),
        UpdateExpression: 'SET nextSlice = :next, #counts = :counts, finishedAt = :finished',
        ConditionExpression: 'nextSlice = :slice',
        ExpressionAttributeNames: { '#counts': 'counts' },
        ExpressionAttributeValues: { ':next': slice + 1, ':slice': slice, ':counts': counts, ':finished': finished ? deps.clock.now().toISOString() : null },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

// --- the recognitions a change concerns --------------------------------------------------------------------

export type ActiveRecognition = AffectedRecognition & { partnershipId: string };

/**
 * The active recognitions on each establishment, with their partnership: the links of the establishments,
 * then those recognitions, each in BatchGets of 100 keys.
 */
export async function activeRecognitionsOn(
  deps: Dependencies,
  establishmentDigits: readonly string[],
  options: ReadOptions = {},
): Promise<Map<string, ActiveRecognition[]>> {
  const links = await batchGetItems(
    deps,
    establishmentDigits.map((d) => keys.kbo.recognitionLinks(d)),
    { ...options, attributes: ['recognitionIds'] },
  );
  const idsOn = new Map<string, string[]>();
  for (const digits of establishmentDigits) {
    const ids = links.get(keyString(keys.kbo.recognitionLinks(digits)))?.recognitionIds;
    idsOn.set(digits, ids instanceof Set ? [...(ids as Set<string>)] : []);
  }
  const recognitions = await batchGetItems(
    deps,
    establishmentDigits.flatMap((d) => idsOn.get(d) ?? []).map((id) => keys.recognition.key(id)),
    { ...options, attributes: ['id', 'establishmentNumber', 'programmeId', 'partnershipId', 'status'] },
  );
  const active = new Map<string, ActiveRecognition[]>();
  for (const digits of establishmentDigits) {
    active.set(
      digits,
      (idsOn.get(digits) ?? [])
        .map((id) => recognitions.get(keyString(keys.recognition.key(id))))
        .filter((r): r is StoredItem => r?.status === 'active')
        .map((r) => ({
          id: String(r.id),
          establishmentNumber: String(r.establishmentNumber),
          programmeId: String(r.programmeId),
          partnershipId: String(r.partnershipId),
        })),
    );
  }
  return active;
}

// --- the partnership's decision ---------------------------------------------------------------------------

/**
 * Why a decision was not recorded: the change is unknown to the partnership, the domain refused it
 * (decisionStep), the change or one of its recognitions changed since it was read, or it names more
 * recognitions than one transaction holds.
 */
export type ChangeDecisionConflict = 'not-found' | DecisionRefusal | 'changed-meanwhile' | 'too-many-recognitions';

export type DecisionRequest = {
  id: string;
  partnershipId: string;
  decision: Decision;
  reasons: string;
  /** Who decides, as the recognitions' history records them. */
  actor: Actor;
  at: string;
  /** The version the caller read (If-Match). */
  ifMatch: number;
};

/**
 * Takes the partnership's decision on a change: reads the change and the recognitions it names, lets the domain
 * decide (decisionStep), and records the decision with its effect on each still active recognition in ONE
 * transaction. A retry of the decision taken writes nothing and answers the same. Returns the change as decided
 * and its recognitions as read (for the e-mail to the enterprise).
 */
export async function decideChange(
  deps: Dependencies,
  request: DecisionRequest,
): Promise<Result<{ change: KboChange; recognitions: Recognition[] }, ChangeDecisionConflict>> {
  const own = await getOwnChange(deps, request.id, request.partnershipId);
  if (!own.ok) return refused(own.conflict);
  const change = own.value;
  const step = decisionStep(change, request.decision, request.ifMatch);
  if (step !== 'decide' && step !== 'repeat') return refused(step);
  const recognitions = (await Promise.all(change.recognitions.map((r) => getRecognition(deps, r.id)))).filter((r): r is Recognition => r !== undefined);
  if (step === 'repeat') return ok({ change, recognitions });

  const decision: ChangeDecision = { decision: request.decision, reasons: request.reasons, by: request.actor.userId, at: request.at };
  const decided: KboChange & { decision: ChangeDecision } = { ...change, status: 'decided', decision, version: change.version + 1 };
  // The recognitions as they are now: one revoked or expired since the change was detected needs nothing.
  const effects = recognitions.filter((r) => r.status === 'active').map((recognition) => ({ recognition, effect: decisionEffect(change, request.decision) }));
  const items = decisionWrites(deps.config.TABLE_NAME, change, decided, effects, request.actor);
  if (items.length > 100) return refused('too-many-recognitions');
  try {
    await deps.db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    // The change itself changed since it was read (a concurrent decision): the caller's If-Match is stale. A
    // recognition changed since it was read: the same decision may be tried again.
    if (error instanceof TransactionCanceledException) return refused(failedConditionIndex(error) === 0 ? 'version-conflict' : 'changed-meanwhile');
    throw error;
  }
  return ok({ change: decided, recognitions });
}

/**
 * The writes of a decision: the change (only while open, and at the version read), per recognition the
 * revocation (recognition, lock, history, outbox recognition-revoked) or the new workplace (recognition,
 * history, outbox establishment-address-changed).
 */
function decisionWrites(
  table: string,
  change: KboChange,
  decided: KboChange & { decision: ChangeDecision },
  effects: { recognition: Recognition; effect: RecognitionEffect }[],
  actor: Actor,
): NonNullable<TransactWriteCommandInput['TransactItems']> {
  const { at, reasons } = decided.decision;
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    {
      Put: {
        TableName: table,
        Item: changeItem(decided),
        ConditionExpression: '#status = :open AND version = :v',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'open', ':v': change.version },
      },
    },
  ];
  const eventId = (recognition: Recognition) => `${change.id}-${recognition.id.replace(/\//g, '-')}`;
  // The decision itself, for the partnership's systems (the event feed); one per change, so a retry records it once.
  const decidedEvent: KboChangeDecided = {
    type: 'kbo-change-decided',
    eventId: `${change.id}-decided`,
    changeId: change.id,
    partnershipId: change.partnershipId,
    kind: change.kind,
    decision: decided.decision.decision,
    enterpriseNumber: change.enterpriseNumber,
    establishmentNumber: change.entity.kind === 'establishment' ? change.entity.number : null,
    recognitionIds: change.recognitions.map((r) => r.id),
    decidedAt: at,
  };
  items.push(outboxPut(table, decidedEvent, at));
  for (const { recognition, effect } of effects) {
    if (effect.action === 'revoke') {
      items.push(...revocationWrites(table, recognition, { at, actor, reasons, cause: 'kboChange', changeId: change.id, eventId: eventId(recognition) }).items);
    } else if (effect.action === 'moveWorkplace' || effect.action === 'rename') {
      const workplace =
        effect.action === 'rename'
          ? { ...recognition.workplace, name: effect.name }
          : { ...recognition.workplace, postcode: effect.postcode, municipality: effect.municipality };
      const next: Recognition = { ...recognition, workplace, version: recognition.version + 1 };
      items.push(
        {
          Put: { TableName: table, Item: recognitionItem(next), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': recognition.version } },
        },
        {
          Put: {
            TableName: table,
            Item: historyItem(keys.recognition.pk(recognition.id), at, {
              by: actor.userId,
              actor,
              action: effect.action === 'rename' ? 'kboNameChanged' : 'kboAddressChanged',
              before: { workplace: recognition.workplace },
              after: { workplace, changeId: change.id },
            }),
          },
        },
      );
      if (effect.action === 'moveWorkplace' && change.newAddress) {
        const event: EstablishmentAddressChanged = {
          type: 'establishment-address-changed',
          eventId: eventId(recognition),
          recognitionId: recognition.id,
          enterpriseNumber: recognition.enterpriseNumber,
          establishmentNumber: recognition.establishmentNumber,
          programmeId: recognition.programmeId,
          partnershipId: recognition.partnershipId,
          changeId: change.id,
          oldAddress: change.oldAddress && pickAddress(change.oldAddress),
          newAddress: pickAddress(change.newAddress),
          decidedAt: at,
        };
        items.push(outboxPut(table, event, at));
      }
    }
  }
  return items;
}

const pickAddress = (a: Address) => ({ street: a.street, houseNumber: a.houseNumber, box: a.box, postcode: a.postcode, municipality: a.municipality });
