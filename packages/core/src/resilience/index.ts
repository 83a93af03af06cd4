// Public API of the resilience area: re-export what other areas and packages may use.
export { computeBackoffMs } from './backoff.ts';
export { isRetryable } from './retryable.ts';
export type { LinkedSignal, TimeoutSignalOptions } from './abort.ts';
export { linkSignals, timeoutSignal } from './abort.ts';
