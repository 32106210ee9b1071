// From a repository's typed conflict to the API's answer: each context declares, per conflict, the status and the
// Dutch detail (functions/<context>/conflicts.ts), and handlers unwrap a Result with its table. One place per
// context says what every conflict means to the portal.
import type { Result } from '../data/result.ts';
import { Problem, type FieldError } from './problem.ts';

export type ConflictAnswer = { status: 404 | 409 | 412 | 422; code?: string; detail: string; errors?: FieldError[] };
export type ConflictTable<C extends string> = Record<C, ConflictAnswer>;

// The three answers every context gives the same way (README "API conventions", "Status codes"):
/** 412: the `If-Match` version is not the current one (RFC 9110, a failed precondition): read again. */
export const versionConflict = (detail: string) => ({ status: 412, code: 'version-conflict', detail }) as const;
/** 409: the resource's state does not allow this request, for every transition its state does not allow. */
export const invalidTransition = (detail: string) => ({ status: 409, code: 'invalid-transition', detail }) as const;
/**
 * The 409s that keep a code of their own, because the portal acts differently on them than on a transition
 * refused: a duplicate, a place taken meanwhile, a concurrent change to retry. README lists them.
 */
export const specificConflictCodes = [
  'already-exists',
  'already-open-or-recognised',
  'mandate-exists',
  'mentor-capacity-reached',
  'establishment-capacity-reached',
  'document-gone',
  'recognition-changed',
  'kbo-change-changed',
  'idempotency-in-progress',
  'appeal-already-open',
  'effect-changed',
  'workplace-taken',
] as const;

export function problemFor<C extends string>(conflict: C, table: ConflictTable<C>): Problem {
  const answer = table[conflict];
  return new Problem(answer.status, answer.code ?? conflict, answer.detail, answer.errors ? { errors: answer.errors } : {});
}

/**
 * `version-conflict` when the If-Match version is not the one just read: for an action that checks the version
 * it was given without writing the resource itself (renewal, acknowledging a suspension), or before a write
 * that is conditioned on the version read.
 */
export const staleVersion = (resource: { version: number }, ifMatch: number) => (resource.version === ifMatch ? undefined : ('version-conflict' as const));

/** The value of a successful result; a conflict becomes its problem. */
export function unwrap<T, C extends string>(result: Result<T, C>, table: ConflictTable<C>): T {
  if (result.ok) return result.value;
  throw problemFor(result.conflict, table);
}
