// The versioned writes of applications and agreements: one TransactWriteItems whose first item is the record
// with `version = :expected`, followed by extra writes with their own conditions (locks, capacity slots).
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** The index of the first item of a cancelled transaction whose condition failed; undefined for any other error. */
export function failedConditionIndex(error: unknown): number | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const failed = (error.CancellationReasons ?? []).findIndex((r) => r.Code === 'ConditionalCheckFailed');
  return failed >= 0 ? failed : undefined;
}

/**
 * The error to throw for a failed versioned write: the record's version conflict when its own condition
 * failed, the caller's problem for the first extra write whose condition failed (index into the extras),
 * or the error itself.
 */
export function versionedWriteError(error: unknown, versionConflict: () => Error, onExtraConflict: (index: number) => Error): unknown {
  const failed = failedConditionIndex(error);
  if (failed === undefined) return error;
  return failed === 0 ? versionConflict() : onExtraConflict(failed - 1);
}
