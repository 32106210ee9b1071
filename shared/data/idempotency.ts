// Idempotency-Key records. A creating POST retried with the same key and the same request gets the stored
// first answer; the same key with a different request is refused. Records expire after 24 hours (TTL).
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { idempotency } from './keys.ts';
import { ok, refused, type Result } from './result.ts';

export type StoredResponse = { statusCode: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean };

const dayInSeconds = 24 * 60 * 60;
/** A request that crashed half-way leaves its lock; after this a retry may run again. */
const lockSeconds = 60;

const key = (scope: string) => idempotency.key(createHash('sha256').update(scope).digest('hex'));

/**
 * Why a request with a known key does not run: the key came with another request (`idempotency-key-reused`), or
 * its first request is still running (`idempotency-in-progress`).
 */
export type IdempotencyConflict = 'idempotency-key-reused' | 'idempotency-in-progress';

/** Takes the key for this request: it runs (no replay), or gets the stored first answer (replay), or may not run. */
export async function beginIdempotentRequest(
  deps: Dependencies,
  scope: string,
  request: unknown,
): Promise<Result<{ replay?: StoredResponse }, IdempotencyConflict>> {
  const fingerprint = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: { ...key(scope), status: 'inProgress', fingerprint, lockedUntil: now + lockSeconds, ttl: now + dayInSeconds },
        ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now OR (#status = :inProgress AND lockedUntil < :now)',
        ExpressionAttributeNames: { '#ttl': 'ttl', '#status': 'status' },
        ExpressionAttributeValues: { ':now': now, ':inProgress': 'inProgress' },
      }),
    );
    return ok({});
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const existing = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: key(scope), ConsistentRead: true }));
  const item = existing.Item;
  if (!item) return beginIdempotentRequest(deps, scope, request);
  if (item.fingerprint !== fingerprint) return refused('idempotency-key-reused');
  if (item.status === 'completed') return ok({ replay: item.response as StoredResponse });
  return refused('idempotency-in-progress');
}

export async function completeIdempotentRequest(deps: Dependencies, scope: string, response: StoredResponse): Promise<void> {
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.config.TABLE_NAME,
      Key: key(scope),
      UpdateExpression: 'SET #status = :completed, #response = :response REMOVE lockedUntil',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: { ':completed': 'completed', ':response': response },
    }),
  );
}

/** A failed request frees its key so that the client can retry it. */
export async function releaseIdempotentRequest(deps: Dependencies, scope: string): Promise<void> {
  await deps.db.send(new DeleteCommand({ TableName: deps.config.TABLE_NAME, Key: key(scope) }));
}
