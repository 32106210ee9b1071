// Idempotency-Key records. A creating POST retried with the same key and the same request gets the stored
// first answer; the same key with a different request is refused. Records expire after 24 hours (TTL).
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { conflict, unprocessable } from '../http/problem.ts';

type StoredResponse = { statusCode: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean };

const dayInSeconds = 24 * 60 * 60;
/** A request that crashed half-way leaves its lock; after this a retry may run again. */
const lockSeconds = 60;

const key = (scope: string) => ({ pk: `IDEMPOTENCY#${createHash('sha256').update(scope).digest('hex')}`, sk: 'IDEMPOTENCY' });

export async function beginIdempotentRequest(deps: Dependencies, scope: string, request: unknown): Promise<{ replay?: StoredResponse }> {
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
    return {};
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const existing = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: key(scope), ConsistentRead: true }));
  const item = existing.Item;
  if (!item) return beginIdempotentRequest(deps, scope, request);
  if (item.fingerprint !== fingerprint) {
    throw unprocessable('idempotency-key-reused', 'Deze Idempotency-Key werd al gebruikt voor een andere aanvraag.');
  }
  if (item.status === 'completed') return { replay: item.response as StoredResponse };
  throw conflict('idempotency-in-progress', 'Een aanvraag met deze Idempotency-Key wordt nog verwerkt. Probeer het zo dadelijk opnieuw.');
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
