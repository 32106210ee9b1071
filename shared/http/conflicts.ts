// From a repository's typed conflict to the API's answer: each context declares, per conflict, the status and the
// Dutch detail (functions/<context>/conflicts.ts), and handlers unwrap a Result with its table. One place per
// context says what every conflict means to the portal.
import type { Result } from '../data/result.ts';
import { Problem, type FieldError } from './problem.ts';

export type ConflictAnswer = { status: 404 | 409 | 412 | 422; code?: string; detail: string; errors?: FieldError[] };
export type ConflictTable<C extends string> = Record<C, ConflictAnswer>;

export function problemFor<C extends string>(conflict: C, table: ConflictTable<C>): Problem {
  const answer = table[conflict];
  return new Problem(answer.status, answer.code ?? conflict, answer.detail, answer.errors ? { errors: answer.errors } : {});
}

/** The value of a successful result; a conflict becomes its problem. */
export function unwrap<T, C extends string>(result: Result<T, C>, table: ConflictTable<C>): T {
  if (result.ok) return result.value;
  throw problemFor(result.conflict, table);
}
