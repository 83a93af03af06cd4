import { isUcopError } from '@ucop/core';
import type { UcopError } from '@ucop/core';

/**
 * The UcopError a promise rejects with. A promise that resolves, or rejects with anything else, makes the
 * test fail here rather than at a later, vaguer assertion.
 */
export async function ucopFailure(promise: Promise<unknown>): Promise<UcopError> {
  const error: unknown = await promise.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (!isUcopError(error)) throw error;
  return error;
}
