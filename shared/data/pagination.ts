// Opaque list cursors: the LastEvaluatedKey of a Query, base64url-encoded. A cursor is only accepted for the
// partition it came from, so a crafted cursor cannot move a Query elsewhere; a malformed one is a 400.
import { badRequest } from '../http/problem.ts';

export type Key = Record<string, string | number>;

export const encodeCursor = (key: Key | undefined): string | null =>
  key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;

export function decodeCursor(cursor: string | undefined, expected: { attribute: string; value: string }): Key | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => badRequest('invalid-cursor', 'De cursor is ongeldig of hoort bij een andere lijst.', [{ in: 'query', pointer: '/cursor', code: 'invalid_cursor', detail: 'Gebruik de cursor uit het vorige antwoord.' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const entries = Object.entries(key);
  if (entries.length > 6 || !entries.every(([, v]) => typeof v === 'string' || typeof v === 'number')) throw invalid();
  if ((key as Key)[expected.attribute] !== expected.value) throw invalid();
  return key as Key;
}
