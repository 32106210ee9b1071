// The versioned writes of applications and agreements: one TransactWriteItems whose first item is the record
// with `version = :expected`, followed by extra writes with their own conditions (locks, capacity slots).
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * The error to throw for a failed versioned write: the record's version conflict when its own condition
 * failed, the caller's problem for the first extra write whose condition failed (index into the extras),
 * or the error itself.
 */
export function versionedWriteError(error: unknown, versionConflict: () => Error, onExtraConflict: (index: number) => Error): unknown {
  if (!(error instanceof TransactionCanceledException)) return error;
  const reasons = error.CancellationReasons ?? [];
  if (reasons[0]?.Code === 'ConditionalCheckFailed') return versionConflict();
  const failed = reasons.findIndex((r, i) => i > 0 && r.Code === 'ConditionalCheckFailed');
  return failed > 0 ? onExtraConflict(failed - 1) : error;
}
