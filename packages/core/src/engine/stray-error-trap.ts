/**
 * Errors an agent raises outside the promise it returned: thrown from a timer or a callback it started, or a
 * promise it rejected and never awaited. Node reports them as `uncaughtException` / `unhandledRejection`,
 * which by default kill the process: no run record, nothing to resume from. While a run is active this trap
 * listens to both and hands the error to whoever caused it, found through AsyncLocalStorage (Node keeps the
 * async context of the failing callback when it calls these listeners): the attempt that started the timer
 * fails with AGENT_UNCAUGHT; if that attempt is already over (or the error carries no attempt), the run it
 * belongs to fails with the same code; with no context at all, every active run does. The process goes on
 * and writes its records. With no run active the listeners are removed and Node's default applies again.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { UcopError } from '../errors/ucop-error.ts';

/** Who a stray error is attributed to. */
interface FaultScope {
  readonly run: RunFault | undefined;
  readonly attempt: AttemptFault | undefined;
}

/** A run's side of the trap: how to fail it. */
export interface RunFault {
  fail(error: UcopError): void;
}

const scope = new AsyncLocalStorage<FaultScope>();
const activeRuns = new Set<RunFault>();

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return 'a value that cannot be shown';
  }
}

/**
 * One attempt's side of the trap: {@link AttemptFault.watch} gives the agent's answer, or AGENT_UNCAUGHT when
 * an error of the attempt's own async context escapes first.
 */
export class AttemptFault {
  readonly #where: () => string;
  #reject: ((error: UcopError) => void) | undefined;
  #pending: UcopError | undefined;
  #open = true;

  /** @param where the unit and agent, for the message (`step "a" (agent "x")`), built only if needed */
  constructor(where: () => string) {
    this.#where = where;
  }

  /**
   * The agent's answer, unless a stray error of the attempt fails it first. One promise per attempt (a race
   * against a second, always pending promise cost three more).
   */
  watch<T>(answer: T | PromiseLike<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#pending) reject(this.#pending);
      this.#reject = reject;
      Promise.resolve(answer).then(resolve, reject);
    });
  }

  /** Fails the attempt; false when it is already over (the error then goes to the run). */
  fail(error: unknown, origin: string): boolean {
    if (!this.#open) return false;
    this.#open = false;
    const failure = new UcopError('AGENT_UNCAUGHT', `${this.#where()} raised an error outside the promise it returned (${origin}, e.g. from a timer or callback it started): ${describe(error)}; fix the agent to await its work`, {
      fields: { origin },
      cause: error,
    });
    if (this.#reject) this.#reject(failure);
    else this.#pending = failure;
    return true;
  }

  /** The attempt is over: later stray errors of its context fail the run instead. */
  close(): void {
    this.#open = false;
  }
}

/** Runs an agent's attempt so that stray errors of its async context are attributed to `fault`. */
export function runInAttemptScope<T>(fault: AttemptFault, fn: () => T): T {
  return scope.run({ run: scope.getStore()?.run, attempt: fault }, fn);
}

function onStray(error: unknown, origin: string): void {
  const store = scope.getStore();
  if (store?.attempt?.fail(error, origin)) return;
  const runError = new UcopError('AGENT_UNCAUGHT', `an error escaped an agent after its attempt ended or outside any attempt (${origin}): ${describe(error)}; the run fails so that the process can write its record`, {
    fields: { origin },
    cause: error,
  });
  if (store?.run && activeRuns.has(store.run)) {
    store.run.fail(runError);
    return;
  }
  for (const run of activeRuns) run.fail(runError);
}

const onUncaught = (error: unknown): void => onStray(error, 'uncaught exception');
const onRejection = (reason: unknown): void => onStray(reason, 'unhandled rejection');

/**
 * Runs `fn` (a whole run) with the trap listening, attributing stray errors of its async context to `run`.
 * The listeners are on the process only while at least one run is inside this call.
 */
export async function runInRunScope<T>(run: RunFault, fn: () => Promise<T>): Promise<T> {
  if (activeRuns.size === 0) {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onRejection);
  }
  activeRuns.add(run);
  try {
    return await scope.run({ run, attempt: undefined }, fn);
  } finally {
    activeRuns.delete(run);
    if (activeRuns.size === 0) {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onRejection);
    }
  }
}

/** What the process listeners do, for tests that cannot let an exception escape their runner. */
export const strayErrorListeners = { uncaughtException: onUncaught, unhandledRejection: onRejection } as const;
