// Document items (keys: `document` in keys.ts), one per document. S3 keys are opaque, never a name or number: an
// upload lands under `uploads/<id>` (a lifecycle rule deletes what is never completed after a day) and a
// verified document lives under `documents/<id>`.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { batchGetItems, keyString } from './batch-get.ts';
import type { ContentType, DocumentKind } from '../domain/documents.ts';
import { document } from './keys.ts';
import { ok, refused, type Result } from './result.ts';

export type DocumentStatus = 'pendingUpload' | 'verified' | 'rejected' | 'deleted';

export type DocumentRecord = {
  id: string;
  kind: DocumentKind;
  contentType: ContentType;
  maxBytes: number;
  /** A label for the user, e.g. "uittreksel mentor 1"; not used in any key. */
  label: string;
  status: DocumentStatus;
  /** The organisation that uploaded it; it and `readers` may read it. */
  ownerKey: string;
  readers: string[];
  uploadedBy: string;
  createdAt: string;
  verifiedAt?: string;
  sizeBytes?: number;
  rejectedReason?: string;
  /** Calendar date after which the retention job deletes it (criminal-record extracts). */
  retainUntil?: string;
  version: number;
};

export const documentKey = document.key;
export const objectKey = (id: string) => `documents/${id}`;
export const uploadKey = (id: string) => `uploads/${id}`;

/** An upload that is never completed disappears after a day (TTL); so does its S3 object (lifecycle rule). */
const pendingTtlSeconds = 24 * 60 * 60;

const withoutReaders = ({ readers: _readers, ...rest }: DocumentRecord) => rest;

export async function createDocument(deps: Dependencies, record: DocumentRecord): Promise<void> {
  await deps.db.send(
    new PutCommand({
      TableName: deps.config.TABLE_NAME,
      // Readers are a string set so that concurrent additions merge; DynamoDB sets cannot be empty.
      Item: {
        ...documentKey(record.id),
        ...withoutReaders(record),
        ...(record.readers.length ? { readerSet: new Set(record.readers) } : {}),
        ttl: Math.floor(deps.clock.now().getTime() / 1000) + pendingTtlSeconds,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getDocument(deps: Dependencies, id: string): Promise<DocumentRecord | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: documentKey(id), ConsistentRead: true }));
  return documentRecordOf(result.Item, deps.clock.now());
}

/** Several documents in one BatchGet (consistent, as getDocument), by id; absent ones are left out. */
export async function getDocuments(deps: Dependencies, ids: readonly string[]): Promise<Map<string, DocumentRecord>> {
  const found = await batchGetItems(deps, ids.map(documentKey), { consistent: true });
  const now = deps.clock.now();
  const documents = new Map<string, DocumentRecord>();
  for (const id of ids) {
    const record = documentRecordOf(found.get(keyString(documentKey(id))), now);
    if (record) documents.set(id, record);
  }
  return documents;
}

/** The document of a stored item (read by a Get, or in another repository's BatchGet); an expired upload is none. */
export function documentRecordOf(stored: Record<string, unknown> | undefined, now: Date): DocumentRecord | undefined {
  const item = stored as (DocumentRecord & { ttl?: number }) | undefined;
  if (!item) return undefined;
  // DynamoDB Local does not enforce TTL, and AWS deletes late: an expired pending upload is gone.
  if (item.status === 'pendingUpload' && item.ttl !== undefined && item.ttl * 1000 < now.getTime()) return undefined;
  return fromItem(item);
}

function fromItem(item: Record<string, unknown>): DocumentRecord {
  const { pk: _pk, sk: _sk, ttl: _ttl, readerSet, ...record } = item as DocumentRecord & { pk: string; sk: string; ttl?: number; readerSet?: Set<string> };
  return { ...record, readers: [...(readerSet ?? [])] };
}

export type UploadOutcome = { status: 'verified'; sizeBytes: number } | { status: 'rejected'; reason: string };

/** Moves a pending upload to verified or rejected, once: a concurrent second check finds it settled. Returns the settled document. */
export async function settleUpload(deps: Dependencies, id: string, outcome: UploadOutcome): Promise<Result<DocumentRecord, 'document-already-checked'>> {
  const now = deps.clock.now().toISOString();
  try {
    const result = await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.TABLE_NAME,
        Key: documentKey(id),
        UpdateExpression:
          outcome.status === 'verified'
            ? 'SET #status = :status, sizeBytes = :size, verifiedAt = :now, version = version + :one REMOVE #ttl'
            : 'SET #status = :status, rejectedReason = :reason, version = version + :one',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status', ...(outcome.status === 'verified' ? { '#ttl': 'ttl' } : {}) },
        ExpressionAttributeValues: {
          ':status': outcome.status,
          ':pending': 'pendingUpload',
          ':one': 1,
          ...(outcome.status === 'verified' ? { ':size': outcome.sizeBytes, ':now': now } : { ':reason': outcome.reason }),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return ok(fromItem(result.Attributes!));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return refused('document-already-checked');
    throw error;
  }
}

/** The Update (for a transaction or an UpdateCommand) that lets more organisations read an existing document. */
export const documentReadersUpdate = (table: string, id: string, readers: string[]) => ({
  TableName: table,
  Key: documentKey(id),
  UpdateExpression: 'ADD readerSet :readers SET version = version + :one',
  ExpressionAttributeValues: { ':readers': new Set(readers), ':one': 1 },
  ConditionExpression: 'attribute_exists(pk)',
});

/** Lets more organisations read a document, e.g. the enterprise a mandate was signed for. */
export async function addDocumentReaders(deps: Dependencies, id: string, readers: string[]): Promise<void> {
  await deps.db.send(new UpdateCommand(documentReadersUpdate(deps.config.TABLE_NAME, id, readers)));
}

/** Retention: the object is deleted and the item keeps only that it existed. */
export async function markDocumentDeleted(deps: Dependencies, id: string): Promise<void> {
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.config.TABLE_NAME,
      Key: documentKey(id),
      UpdateExpression: 'SET #status = :deleted, deletedAt = :now, version = version + :one REMOVE readerSet',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':deleted': 'deleted', ':now': deps.clock.now().toISOString(), ':one': 1 },
    }),
  );
}
