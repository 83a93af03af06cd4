import { UcopError } from '../errors/ucop-error.ts';

/**
 * Time as the engines see it. Tests inject a fake clock (or use vitest fake timers with `systemClock`,
 * which reads `performance.now()` and `setTimeout` at call time so that fakes apply).
 */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
        // A wait computed as a deadline minus now can come out a hair below zero: Node warns on a negative delay.
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/** The reason a signal aborted, as an Error (AbortSignal reasons can be anything). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new UcopError('RUN_CANCELLED', typeof reason === 'string' ? reason : 'operation was aborted');
}
