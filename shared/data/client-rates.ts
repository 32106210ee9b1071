// The per-client request limit of machine clients: a counter per client and second (a fixed window), taken with
// one conditional UpdateItem, so concurrent requests of one client on any number of Lambda instances count
// exactly. A fixed window lets a client make up to twice the limit across a second boundary; the stage and route
// throttling of API Gateway (infra/stacks/api-stack.ts) bounds the whole API, this bounds one system within it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { clientRate } from './keys.ts';
import { ok, refused, type Result } from './result.ts';

/** Counters outlive their second by this much (TTL); DynamoDB deletes them some time after. */
const keptSeconds = 120;

/**
 * Counts one request of `clientId` in the current second, unless it already made `limit` in it: then
 * `rate-limited` (the next window starts within a second, the Retry-After).
 */
export async function takeClientRequest(deps: Dependencies, clientId: string, limit: number): Promise<Result<{ count: number }, 'rate-limited'>> {
  const nowMs = deps.clock.now().getTime();
  const second = Math.floor(nowMs / 1000);
  try {
    const result = await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.TABLE_NAME,
        Key: clientRate.window(clientId, second),
        UpdateExpression: 'ADD #count :one SET #ttl = if_not_exists(#ttl, :ttl)',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'requests', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': second + keptSeconds },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return ok({ count: Number(result.Attributes?.requests ?? 1) });
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return refused('rate-limited');
    throw error;
  }
}
