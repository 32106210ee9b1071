// List cursors of the data layer: the LastEvaluatedKey of a Query, base64url-encoded. The API seals them
// (shared/http/cursor.ts), so a client cannot forge one; this check is the defence in depth behind the seal.
// A cursor is only accepted when it is exactly a key of the table or index queried, in the partition queried:
// a crafted cursor cannot move a Query elsewhere nor reach DynamoDB with a key it refuses (a 500). Anything
// else throws InvalidCursorError, which the API answers with its 400 `invalid-cursor` problem.
import { globalIndexes, keyAttributes } from './table.ts';

/**
 * A cursor this data layer did not issue for the Query it is given to. Not an HTTP problem: shared/http maps
 * it to the 400 `invalid-cursor` problem (the status and code it will answer with travel along for that).
 */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  readonly code = 'invalid-cursor';
  readonly status = 400;
  constructor() {
    super('invalid cursor');
  }
}

const invalidCursor = () => new InvalidCursorError();

export type Key = Record<string, string | number>;

export const encodeCursor = (key: Key | undefined): string | null => (key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null);

/** The attributes of a key of the table, or of an index (whose keys also carry the table's key). */
function keySchemaOf(partitionAttribute: string): string[] | undefined {
  if (partitionAttribute === keyAttributes.partitionKey) return [keyAttributes.partitionKey, keyAttributes.sortKey];
  const index = globalIndexes.find((i) => i.partitionKey === partitionAttribute);
  return index ? [keyAttributes.partitionKey, keyAttributes.sortKey, index.partitionKey, index.sortKey] : undefined;
}

/** DynamoDB's limits for a partition key (2048 bytes) and a sort key (1024 bytes); ours are far shorter. */
const maxKeyValueBytes = 1024;

/**
 * `expected.attribute` is the partition key of what is queried (`pk` for the table, `gsi1pk` for gsi1, ...), so
 * it also fixes the key schema the cursor must have.
 */
export function decodeCursor(cursor: string | undefined, expected: { attribute: string; value: string }): Key | undefined {
  if (cursor === undefined) return undefined;
  const schema = keySchemaOf(expected.attribute);
  if (!schema) throw new Error(`decodeCursor: ${expected.attribute} is not the partition key of the table or an index`);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalidCursor();
  const entries = Object.entries(key);
  if (entries.length !== schema.length || !schema.every((attribute) => Object.hasOwn(key as object, attribute))) throw invalidCursor();
  if (!entries.every(([, v]) => typeof v === 'string' && v.length > 0 && Buffer.byteLength(v, 'utf8') <= maxKeyValueBytes)) throw invalidCursor();
  if ((key as Key)[expected.attribute] !== expected.value) throw invalidCursor();
  return key as Key;
}
