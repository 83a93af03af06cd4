/**
 * Runs an operation under a deadline of its own. A check that drives a broken engine (one that ignores
 * timeouts or fail-fast) must still come back, with a finding rather than a hang: at the deadline the
 * operation's signal is aborted, and if the operation ignores that too, the watchdog stops waiting.
 */

export type WatchdogOutcome<T> = { kind: 'done'; value: T } | { kind: 'failed'; error: unknown } | { kind: 'overdue'; afterMs: number };

/**
 * @param operation receives a signal that aborts at the deadline or when `signal` aborts
 * @param deadlineMs how long the operation may take
 * @param graceMs how long to wait after aborting before giving up on the operation @default 1000
 */
export async function runWithWatchdog<T>(
  operation: (signal: AbortSignal) => Promise<T>,
  deadlineMs: number,
  signal?: AbortSignal,
  graceMs = 1000,
): Promise<WatchdogOutcome<T>> {
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onOuterAbort, { once: true });
  let deadline: NodeJS.Timeout | undefined;
  let giveUp: NodeJS.Timeout | undefined;
  try {
    const operationOutcome = operation(controller.signal).then(
      (value): WatchdogOutcome<T> => ({ kind: 'done', value }),
      (error: unknown): WatchdogOutcome<T> => ({ kind: 'failed', error }),
    );
    const overdue = new Promise<WatchdogOutcome<T>>((resolve) => {
      deadline = setTimeout(() => {
        controller.abort(new Error(`watchdog: still running after ${deadlineMs} ms`));
        giveUp = setTimeout(() => resolve({ kind: 'overdue', afterMs: deadlineMs }), graceMs);
      }, deadlineMs);
    });
    const outcome = await Promise.race([operationOutcome, overdue]);
    // An operation that only ended because the watchdog aborted it was overdue, whatever it returned.
    if (outcome.kind !== 'overdue' && controller.signal.aborted && !signal?.aborted) return { kind: 'overdue', afterMs: deadlineMs };
    return outcome;
  } finally {
    clearTimeout(deadline);
    clearTimeout(giveUp);
    signal?.removeEventListener('abort', onOuterAbort);
  }
}
