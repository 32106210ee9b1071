// What an intent-level repository function answers: the result, or the typed conflict that prevented it (a
// failed condition, a business state that changed meanwhile). Never an HTTP problem: shared/http/conflicts.ts
// maps conflicts to problem+json for the API, and jobs and consumers decide for themselves.
export type Result<T, C extends string> = { ok: true; value: T } | { ok: false; conflict: C };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const refused = <C extends string>(conflict: C): { ok: false; conflict: C } => ({ ok: false, conflict });
