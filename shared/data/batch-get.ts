// BatchGetItem for any number of keys: 100 per request, a few requests in flight, the keys DynamoDB leaves
// unprocessed (throttling) asked again with exponential backoff. A single key is a GetItem.
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import type { TableKey } from './keys.ts';

export type { TableKey };
export type StoredItem = Record<string, unknown> & TableKey;

/** One string per key, for Maps and Sets of keys. */
export const keyString = (key: { pk: unknown; sk: unknown }): string => `${String(key.pk)}\u0000${String(key.sk)}`;

export type BatchGetOptions = {
  /** Only these attributes (besides pk and sk); all when absent. */
  attributes?: readonly string[];
  /** Requests in flight at once. */
  parallel?: number;
  /** Strongly consistent reads, for facts a conditional write then relies on (a version, a just-verified upload). */
  consistent?: boolean;
  /** Called once per request, for callers that count them. */
  onRequest?: () => void;
};

/** The items found for `keys` (duplicates asked once), by keyString. */
export async function batchGetItems(deps: Dependencies, keys: readonly TableKey[], options: BatchGetOptions = {}): Promise<Map<string, StoredItem>> {
  const table = deps.config.TABLE_NAME;
  const found = new Map<string, StoredItem>();
  const unique = [...new Map(keys.map((k) => [keyString(k), { pk: k.pk, sk: k.sk }])).values()];
  const names = options.attributes ? ['pk', 'sk', ...options.attributes] : undefined;
  const projection = names
    ? { ProjectionExpression: names.map((_, i) => `#a${i}`).join(', '), ExpressionAttributeNames: Object.fromEntries(names.map((a, i) => [`#a${i}`, a])) }
    : {};
  if (unique.length === 1) {
    // One key is one GetItem: the same cost in DynamoDB, and DynamoDB Local answers it markedly faster than a BatchGet.
    options.onRequest?.();
    const result = await deps.db.send(new GetCommand({ TableName: table, Key: unique[0], ...projection }));
    const item = result.Item as StoredItem | undefined;
    if (item) found.set(keyString(item), item);
    return found;
  }
  const chunks: TableKey[][] = [];
  for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));

  const getChunk = async (chunk: TableKey[]) => {
    let pending: Record<string, unknown>[] = chunk;
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > 8) throw new Error('DynamoDB left BatchGet keys unprocessed');
      if (attempt) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      options.onRequest?.();
      const consistency = options.consistent ? { ConsistentRead: true } : {};
      const result = await deps.db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ...projection, ...consistency } } }));
      for (const item of (result.Responses?.[table] ?? []) as StoredItem[]) found.set(keyString(item), item);
      pending = (result.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
    }
  };
  const parallel = options.parallel ?? 4;
  for (let i = 0; i < chunks.length; i += parallel) await Promise.all(chunks.slice(i, i + parallel).map(getChunk));
  return found;
}
