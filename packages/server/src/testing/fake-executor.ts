import { UcopError } from '@ucop/core';
import type { RunStatus } from '@ucop/core';
import type { RunExecutor, RunHooks, RunJob, RunOutcome, WorkflowCatalog, WorkflowInfo } from '../pool/run-executor.ts';

/**
 * An executor for tests: each run waits until the test releases it (or its signal aborts: then it records
 * `cancelled`), and the executor keeps the highest number of runs it had at once. A test can make it
 * unavailable (as Redis down would): submissions are refused with the given error and the pool claims nothing.
 */
export class GatedExecutor implements RunExecutor {
  readonly started: string[] = [];
  peak = 0;
  #running = 0;
  readonly #gates = new Map<string, (outcome: RunOutcome) => void>();
  #waiters: (() => void)[] = [];
  #unavailable: UcopError | undefined;
  readonly #onAvailable: (() => void)[] = [];

  async admit(): Promise<void> {
    if (this.#unavailable) throw this.#unavailable;
  }

  available(): boolean {
    return this.#unavailable === undefined;
  }

  onAvailable(listener: () => void): void {
    this.#onAvailable.push(listener);
  }

  /** Unavailable with `error` (e.g. REDIS_UNAVAILABLE) until called again without one. */
  setUnavailable(error: UcopError | undefined): void {
    this.#unavailable = error;
    if (!error) for (const listener of this.#onAvailable) listener();
  }

  async execute(job: RunJob, hooks: RunHooks): Promise<RunOutcome> {
    this.#running += 1;
    this.peak = Math.max(this.peak, this.#running);
    this.started.push(job.id);
    hooks.onEvent({ type: 'run.started', runId: job.id, workflow: job.workflow, engine: 'parallel', steps: 1, at: 0 });
    for (const waiter of this.#waiters.splice(0)) waiter();
    try {
      const outcome = await new Promise<RunOutcome>((resolve) => {
        this.#gates.set(job.id, resolve);
        hooks.signal.addEventListener('abort', () => resolve({ status: 'cancelled' }), { once: true });
      });
      hooks.onEvent({ type: 'run.finished', runId: job.id, status: outcome.status, at: 1, wallMs: 1 });
      return outcome;
    } finally {
      this.#gates.delete(job.id);
      this.#running -= 1;
    }
  }

  get running(): number {
    return this.#running;
  }

  /** Ends a running run with `status`. */
  release(id: string, status: RunStatus = 'succeeded', interrupted?: string): void {
    const gate = this.#gates.get(id);
    if (!gate) throw new Error(`run ${id} is not running`);
    gate({ status, ...(interrupted !== undefined ? { interrupted } : {}) });
  }

  /** Resolves once `n` runs have started in total. */
  async startedAtLeast(n: number): Promise<void> {
    while (this.started.length < n) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
}

/** A catalog of named workflows with declared inputs `{ n?: integer }`; anything else is unknown. */
export function fakeCatalog(names: readonly string[] = ['sim']): WorkflowCatalog {
  return {
    list: async (): Promise<WorkflowInfo[]> => names.map((name) => ({ name, inputs: { n: { type: 'integer', required: false } } })),
    prepare: async (name, inputs) => {
      if (!names.includes(name)) throw new UcopError('FILE_NOT_FOUND', `no workflow named "${name}"`);
      const values: Record<string, unknown> = { ...inputs.values };
      for (const assignment of inputs.assignments) {
        const [key, value] = assignment.split('=');
        if (key !== 'n' || value === undefined || !/^\d+$/.test(value)) throw new UcopError('INPUT_INVALID', `bad input ${assignment}`);
        values[key] = Number(value);
      }
      return values;
    },
  };
}
