// Sealed list cursors. The data layer's cursor (a Query's LastEvaluatedKey, or a handler's own resume point) is
// the `inner` cursor; the client only ever sees it sealed: `base64url(inner) + '.' + base64url(mac)`, where the
// MAC is HMAC-SHA256 with the keyring's `cursor` key over the scope and the inner cursor. The scope names the
// route, the caller, the acting organisation and the query (without cursor and limit), so a cursor is only
// accepted back on the list that issued it, for the same caller and the same filters. Anything else, whether
// garbage, tampered, forged with another key, another caller's or another list's, is one 400 problem naming
// `cursor`, and never reaches DynamoDB.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Keyring } from '../adapters/keyring.ts';
import { badRequest } from './problem.ts';
import type { ApiResponse } from './route.ts';

export const invalidCursor = () =>
  badRequest('invalid-cursor', 'De cursor is ongeldig of hoort bij een andere lijst.', [
    { in: 'query', pointer: '/cursor', code: 'invalid-cursor', detail: 'Gebruik de cursor uit het vorige antwoord.' },
  ]);

/**
 * The longest inner cursor: sealed it stays under the 2048 characters the routes' query schemas accept. Ours
 * are a few hundred bytes (a DynamoDB key of short strings).
 */
export const maxInnerCursorBytes = 1400;
const macLength = 43; // 32 bytes in base64url, without padding
const maxSealedLength = Math.ceil((maxInnerCursorBytes * 4) / 3) + 1 + macLength;
const sealedPattern = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

/** JSON with the keys of every object sorted: the same query gives the same scope, whatever its order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What a cursor is bound to: the route, the caller (or `anonymous`), the acting organisation and the query. */
export function cursorScope(input: {
  operationId: string;
  userId: string | undefined;
  organisationKey: string | undefined;
  query: Record<string, unknown>;
}): string {
  const { cursor: _cursor, limit: _limit, ...filters } = input.query;
  // A JSON array keeps the parts apart whatever characters a user id holds.
  return JSON.stringify([input.operationId, input.userId ?? 'anonymous', input.organisationKey ?? '-', canonicalJson(filters)]);
}

// The scope is JSON (no raw newline), so the first newline separates it from the inner cursor.
// createHmac turns a Buffer key into a KeyObject on every call, which costs more than the MAC itself; the keyring
// derives each key once, so its KeyObject is made once too.
const keyObjects = new WeakMap<Buffer, KeyObject>();
const keyObjectOf = (key: Buffer): KeyObject => {
  let object = keyObjects.get(key);
  if (!object) {
    object = createSecretKey(key);
    keyObjects.set(key, object);
  }
  return object;
};
const mac = (key: Buffer, scope: string, inner: Buffer) =>
  createHmac('sha256', keyObjectOf(key)).update(scope, 'utf8').update('\n', 'utf8').update(inner).digest();

export function sealCursor(key: Buffer, scope: string, inner: string): string {
  const bytes = Buffer.from(inner, 'utf8');
  if (bytes.length === 0 || bytes.length > maxInnerCursorBytes)
    throw new Error(`an inner cursor has 1 to ${maxInnerCursorBytes} bytes, this one ${bytes.length}`);
  return `${bytes.toString('base64url')}.${mac(key, scope, bytes).toString('base64url')}`;
}

/** The inner cursor of a sealed one issued for this scope; anything else is the 400 problem. */
export function openCursor(key: Buffer, scope: string, sealed: string): string {
  try {
    if (typeof sealed !== 'string' || sealed.length > maxSealedLength) throw invalidCursor();
    const match = sealedPattern.exec(sealed);
    if (!match) throw invalidCursor();
    const inner = Buffer.from(match[1]!, 'base64url');
    const given = Buffer.from(match[2]!, 'base64url');
    const expected = mac(key, scope, inner);
    if (inner.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
    return inner.toString('utf8');
  } catch {
    throw invalidCursor();
  }
}

/** Replaces the query's sealed cursor, if any, by the inner one the handler and the data layer understand. */
export async function openQueryCursor<Q>(keys: Keyring, scope: string, query: Q): Promise<Q> {
  const cursor = (query as { cursor?: unknown } | undefined)?.cursor;
  if (cursor === undefined) return query;
  if (typeof cursor !== 'string') throw invalidCursor();
  return { ...query, cursor: openCursor(await keys.derive('cursor'), scope, cursor) };
}

/** Seals the `cursor` of a JSON object body (null, the last page, stays null); other responses pass unchanged. */
export async function sealResponseCursor(keys: Keyring, scope: string, response: ApiResponse): Promise<ApiResponse> {
  const body = response.body as { cursor?: unknown } | undefined;
  if (response.contentType || body === null || typeof body !== 'object' || Buffer.isBuffer(body) || Array.isArray(body)) return response;
  if (typeof body.cursor !== 'string') return response;
  return { ...response, body: { ...body, cursor: sealCursor(await keys.derive('cursor'), scope, body.cursor) } };
}
