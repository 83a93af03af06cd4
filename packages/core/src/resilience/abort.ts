import { systemClock, type Clock } from '../engine/clock.ts';
import { UcopError } from '../errors/ucop-error.ts';

/** A derived signal and the function that detaches it from its sources; call `dispose` in `finally`. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * A signal that aborts as soon as any of `signals` does, with that signal's reason. Unlike
 * `AbortSignal.any`, the listeners it adds to the sources are removed by `dispose()`, so a long-lived run
 * signal does not collect one listener per attempt. Undefined entries are ignored.
 *
 * @example
 * ```ts
 * const linked = linkSignals(runSignal, attemptTimeout.signal);
 * try { await agent.run({ ...ctx, signal: linked.signal }, input); } finally { linked.dispose(); }
 * ```
 */
export function linkSignals(...signals: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const sources = signals.filter((s): s is AbortSignal => s !== undefined);
  const already = sources.find((s) => s.aborted);
  if (already) {
    controller.abort(already.reason);
    return { signal: controller.signal, dispose() {} };
  }
  const listeners: [AbortSignal, () => void][] = [];
  const dispose = (): void => {
    for (const [source, listener] of listeners) source.removeEventListener('abort', listener);
    listeners.length = 0;
  };
  for (const source of sources) {
    const listener = (): void => {
      controller.abort(source.reason);
      dispose();
    };
    source.addEventListener('abort', listener, { once: true });
    listeners.push([source, listener]);
  }
  return { signal: controller.signal, dispose };
}

export interface TimeoutSignalOptions {
  /** Measures the timeout. @default systemClock */
  clock?: Clock;
  /** The abort reason. @default a retryable STEP_TIMEOUT UcopError naming the timeout */
  reason?: () => unknown;
}

/**
 * A signal that aborts after `ms` on `clock`. `dispose()` cancels the pending timer; call it in `finally`
 * so that finished attempts leave no timers behind.
 */
export function timeoutSignal(ms: number, options: TimeoutSignalOptions = {}): LinkedSignal {
  const clock = options.clock ?? systemClock;
  const controller = new AbortController();
  const cancel = new AbortController();
  clock.sleep(ms, cancel.signal).then(
    () => {
      const reason = options.reason ? options.reason() : new UcopError('STEP_TIMEOUT', `timed out after ${ms} ms; raise \`timeout:\` if the step needs longer`, { retryable: true, fields: { timeoutMs: ms } });
      controller.abort(reason);
    },
    () => {
      // Cancelled by dispose(): nothing to do.
    },
  );
  return {
    signal: controller.signal,
    dispose: () => cancel.abort(),
  };
}
