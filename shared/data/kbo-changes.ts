// KBO change records and the sync's checkpoints.
//   change:     pk `KBOCHANGE#<id>` sk `CHANGE`; gsi1 `KBOCHANGES#<partnership>` / `<status>#<detectedAt>#<id>`
//               (a partnership's open or decided changes, one Query); gsi2 `KBOSYNC#<extract>` / `<slice>#<id>`
//               (the changes one slice of one file produced, which the sync (re)sends to the changes queue).
//   checkpoint: pk `KBO#SYNC` sk `<extract number, 6 digits>`: how far the sync got in one Update file.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Dependencies } from '../adapters/dependencies.ts';
import type { ChangeKind, ChangeStatus, Decision, DetectedChange, RecognitionEffect } from '../domain/kbo-changes.ts';
import type { Address } from '../domain/kbo.ts';
import type { EstablishmentAddressChanged } from '../../events/establishment-address-changed.ts';
import { historyItem } from './history.ts';
import { outboxPut } from './outbox.ts';
import { recognitionItem, type Recognition } from './recognitions.ts';
import { revocationWrites } from './sanctions.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

export type AffectedRecognition = { id: string; establishmentNumber: string; programmeId: string };

export type KboChange = DetectedChange & {
  id: string;
  extractNumber: number;
  snapshotDate: string;
  fileName: string;
  slice: number;
  partnershipId: string;
  /** The active recognitions of this partnership on the entity when the change was detected. */
  recognitions: AffectedRecognition[];
  status: ChangeStatus;
  decision: { decision: Decision; reasons: string; by: string; at: string } | null;
  detectedAt: string;
  version: number;
};

export const changeKey = (id: string) => ({ pk: `KBOCHANGE#${id}`, sk: 'CHANGE' });

export function changeItem(change: KboChange) {
  return {
    ...changeKey(change.id),
    gsi1pk: `KBOCHANGES#${change.partnershipId}`,
    gsi1sk: `${change.status}#${change.detectedAt}#${change.id}`,
    gsi2pk: `KBOSYNC#${change.extractNumber}`,
    gsi2sk: `${String(change.slice).padStart(5, '0')}#${change.id}`,
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
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: changeKey(id), ConsistentRead: true }));
  return result.Item ? fromItem(result.Item) : undefined;
}

export async function listChanges(
  deps: Dependencies,
  partnershipId: string,
  query: { status?: ChangeStatus | undefined; cursor?: string | undefined; limit?: number | undefined },
) {
  const partition = { attribute: 'gsi1pk', value: `KBOCHANGES#${partnershipId}` };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: query.status ? 'gsi1pk = :pk AND begins_with(gsi1sk, :status)' : 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partition.value, ...(query.status ? { ':status': `${query.status}#` } : {}) },
      ExclusiveStartKey: decodeCursor(query.cursor, partition),
      Limit: query.limit ?? 50,
    }),
  );
  return { items: (result.Items ?? []).map(fromItem), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/**
 * The ids and partnerships of the changes one slice of one extract produced (also those a crashed earlier
 * attempt stored): what the changes queue needs, and no more of each record.
 */
export async function changesOfSlice(
  deps: Dependencies,
  extractNumber: number,
  slice: number,
  onRequest: () => void = () => undefined,
): Promise<Pick<KboChange, 'id' | 'partnershipId'>[]> {
  const items: Pick<KboChange, 'id' | 'partnershipId'>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    onRequest();
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :slice)',
        ExpressionAttributeValues: { ':pk': `KBOSYNC#${extractNumber}`, ':slice': `${String(slice).padStart(5, '0')}#` },
        ProjectionExpression: 'id, partnershipId',
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []).map((i) => ({ id: String(i.id), partnershipId: String(i.partnershipId) })));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** What travels on the changes queue: only the id; the consumer reads the record (it may have been decided since). */
export type ChangeMessage = { changeId: string; partnershipId: string };

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
          MessageBody: JSON.stringify({ changeId: c.id, partnershipId: c.partnershipId } satisfies ChangeMessage),
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

export type SyncCounts = {
  /** Rows read from the delta files this slice looked at (its own entities only). */
  rows: number;
  /** Known entities whose rows were applied. */
  entitiesApplied: number;
  /** Rows of entities the table does not know (new or never imported), skipped. */
  unknownEntities: number;
  itemsWritten: number;
  /** Items the delta rows restate exactly as stored (apart from the extract number): not written again. */
  itemsUnchanged: number;
  changes: number;
  /** Changes on entities without active recognitions: nobody needs to decide. */
  changesWithoutRecognitions: number;
  invalidRows: number;
};

export const emptyCounts = (): SyncCounts => ({
  rows: 0,
  entitiesApplied: 0,
  unknownEntities: 0,
  itemsWritten: 0,
  itemsUnchanged: 0,
  changes: 0,
  changesWithoutRecognitions: 0,
  invalidRows: 0,
});

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

const checkpointKey = (extractNumber: number) => ({ pk: 'KBO#SYNC', sk: String(extractNumber).padStart(6, '0') });

export async function getCheckpoint(deps: Dependencies, extractNumber: number): Promise<Checkpoint | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: checkpointKey(extractNumber), ConsistentRead: true }));
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
        Item: { ...checkpointKey(checkpoint.extractNumber), ...checkpoint },
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
        Key: checkpointKey(extractNumber),
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

/** Field by field; a checkpoint stored before a count existed counts it from zero. */
export const addCounts = (a: SyncCounts, b: SyncCounts): SyncCounts =>
  Object.fromEntries(Object.keys(emptyCounts()).map((k) => [k, (a[k as keyof SyncCounts] ?? 0) + (b[k as keyof SyncCounts] ?? 0)])) as SyncCounts;

// --- the partnership's decision ---------------------------------------------------------------------------

export class ChangeDecisionConflict extends Error {
  override name = 'ChangeDecisionConflict';
}

/**
 * Records the decision and its effect on each active recognition in ONE transaction: the change (only while
 * open, and at the version read), per recognition the revocation (recognition, lock, history, outbox
 * `recognition-revoked`) or the new workplace (recognition, history, outbox `establishment-address-changed`).
 * A concurrent decision or a recognition changed since it was read cancels the whole transaction.
 */
export async function decideChange(
  deps: Dependencies,
  change: KboChange,
  decision: NonNullable<KboChange['decision']>,
  effects: { recognition: Recognition; effect: RecognitionEffect }[],
): Promise<KboChange> {
  const table = deps.config.TABLE_NAME;
  const at = decision.at;
  const decided: KboChange = { ...change, status: 'decided', decision, version: change.version + 1 };
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
  for (const { recognition, effect } of effects) {
    if (effect.action === 'revoke') {
      items.push(
        ...revocationWrites(table, recognition, {
          at,
          by: decision.by,
          reasons: decision.reasons,
          cause: 'kboChange',
          changeId: change.id,
          eventId: eventId(recognition),
        }).items,
      );
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
            Item: historyItem(`REC#${recognition.id}`, at, {
              by: decision.by,
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
  if (items.length > 100) throw new ChangeDecisionConflict(`a decision on ${effects.length} recognitions exceeds one transaction`);
  try {
    await deps.db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) throw new ChangeDecisionConflict('the change or one of its recognitions changed since it was read');
    throw error;
  }
  return decided;
}

const pickAddress = (a: Address) => ({ street: a.street, houseNumber: a.houseNumber, box: a.box, postcode: a.postcode, municipality: a.municipality });
