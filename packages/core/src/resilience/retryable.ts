import type { ErrorCode } from '../errors/error-codes.ts';
import { isUcopError } from '../errors/ucop-error.ts';

// A step timeout is worth retrying (the next attempt gets a fresh timeout); a run that was cancelled or ran
// out of time is not, whatever flag its error carries.
const ALWAYS_RETRYABLE: ReadonlySet<ErrorCode> = new Set(['STEP_TIMEOUT']);
const NEVER_RETRYABLE: ReadonlySet<ErrorCode> = new Set(['RUN_CANCELLED', 'RUN_TIMEOUT', 'STEP_CANCELLED']);

/**
 * Whether an attempt that failed with `error` may be retried. Decided from data on the error, never from
 * its message: a UcopError's `retryable` flag, `STEP_TIMEOUT` always, run cancellation and deadlines never.
 * Anything that is not a UcopError (a plain Error, an AbortError from a run-level abort) is not retryable.
 */
export function isRetryable(error: unknown): boolean {
  if (!isUcopError(error)) return false;
  if (NEVER_RETRYABLE.has(error.code)) return false;
  return ALWAYS_RETRYABLE.has(error.code) || error.retryable;
}
