import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UcopError, redactString } from '@ucop/core';
import type { RunEvent, RunStatus } from '@ucop/core';
import type { RunEventHub } from '../events/run-event-hub.ts';
import type { DaemonMetrics } from '../metrics/daemon-metrics.ts';
import type { QueuedRun, RunQueue } from '../queue/run-queue.ts';
import type { RunExecutor } from './run-executor.ts';

export interface RunPoolOptions {
  queue: RunQueue;
  executor: RunExecutor;
  events: RunEventHub;
  metrics?: DaemonMetrics;
  /** Where each run gets its directory (`<runsDir>/<id>`). */
  runsDir: string;
  /** Runs at once. @default 5 */
  maxConcurrent?: number;
  /** One line per notable thing (masked). */
  log?: (line: string) => void;
  /** Called after each run leaves its slot (retention runs there). */
  onRunLeft?: (run: QueuedRun) => void;
}

interface ActiveRun {
  run: QueuedRun;
  cancel: AbortController;
  urgent: AbortController;
  /** Why it was aborted: a client's cancel finishes it `cancelled`; a drain puts it back in the queue. */
  abortedFor: 'cancel' | 'drain' | undefined;
  startedAt: number;
  done: Promise<void>;
}

/** The directory of a run. */
export function runDirectory(runsDir: string, id: string): string {
  return join(runsDir, id);
}

/**
 * The pool of concurrent runs: takes a run from the queue only when a slot is free (so at most
 * `maxConcurrent` are ever `running`), hands it to the executor, and records how it ended. A drain stops the
 * claiming, waits for the runs up to a deadline, then cancels them through their AbortSignal and puts them
 * back in the queue, to resume from their record at the next start: unfinished work is never marked done.
 */
export class RunPool {
  readonly #options: RunPoolOptions;
  readonly #max: number;
  readonly #active = new Map<string, ActiveRun>();
  #draining = false;
  #filling = false;

  constructor(options: RunPoolOptions) {
    this.#options = options;
    this.#max = options.maxConcurrent ?? 5;
    if (!Number.isInteger(this.#max) || this.#max < 1) throw new UcopError('USAGE', `--max-concurrent must be a whole number >= 1, got ${String(options.maxConcurrent)}`);
    options.executor.onAvailable?.(() => this.fill());
  }

  get activeCount(): number {
    return this.#active.size;
  }

  get maxConcurrent(): number {
    return this.#max;
  }

  isActive(id: string): boolean {
    return this.#active.has(id);
  }

  /** Claims queued runs while slots are free. Call it after a submission and at start. */
  fill(): void {
    if (this.#filling) return;
    this.#filling = true;
    try {
      // While the executor cannot run anything (Redis down), queued runs wait in the queue, not in a slot.
      while (!this.#draining && this.#active.size < this.#max && (this.#options.executor.available?.() ?? true)) {
        const run = this.#options.queue.claimNext();
        if (!run) break;
        this.#start(run);
      }
    } finally {
      this.#filling = false;
    }
  }

  /** Cancels a running run (it records `cancelled`); false when it is not running here. */
  cancel(id: string): boolean {
    const active = this.#active.get(id);
    if (!active) return false;
    active.abortedFor ??= 'cancel';
    active.cancel.abort(new UcopError('RUN_CANCELLED', 'cancelled through the API'));
    return true;
  }

  /**
   * Stops claiming, waits up to `deadlineMs` for the running runs, then cancels the rest (they go back to the
   * queue to resume). `urgent` aborting ends the waiting at once and abandons the steps still running.
   * Resolves when no run is active; returns the ids that were put back.
   */
  async drain(deadlineMs: number, urgent?: AbortSignal): Promise<string[]> {
    this.#draining = true;
    const all = () => Promise.all([...this.#active.values()].map((a) => a.done));
    if (this.#active.size === 0) return [];
    this.#log(`draining: ${this.#active.size} run(s) running, waiting up to ${deadlineMs} ms`);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs);
      urgent?.addEventListener('abort', () => resolve(), { once: true });
    });
    try {
      await Promise.race([all(), deadline]);
    } finally {
      clearTimeout(timer);
    }
    const putBack = [...this.#active.keys()];
    if (putBack.length > 0) this.#log(`drain deadline passed: cancelling ${putBack.length} run(s); they resume at the next start`);
    for (const active of this.#active.values()) {
      active.abortedFor ??= 'drain';
      active.cancel.abort(new UcopError('RUN_CANCELLED', 'the daemon is stopping; the run resumes at its next start'));
      if (urgent?.aborted) active.urgent.abort(urgent.reason);
    }
    const onUrgent = () => {
      for (const active of this.#active.values()) active.urgent.abort(urgent?.reason);
    };
    urgent?.addEventListener('abort', onUrgent, { once: true });
    try {
      await all();
    } finally {
      urgent?.removeEventListener('abort', onUrgent);
    }
    return putBack;
  }

  #start(run: QueuedRun): void {
    const active: ActiveRun = {
      run,
      cancel: new AbortController(),
      urgent: new AbortController(),
      abortedFor: undefined,
      startedAt: performance.now(),
      done: Promise.resolve(),
    };
    this.#active.set(run.id, active);
    this.#options.events.publish(run.id, { kind: 'state', state: 'running' });
    active.done = this.#execute(active).finally(() => {
      this.#active.delete(run.id);
      // Claims again once the slot is free; never from inside the claim loop.
      queueMicrotask(() => this.fill());
    });
  }

  async #execute(active: ActiveRun): Promise<void> {
    const { run } = active;
    const { queue, executor, events, metrics } = this.#options;
    const dir = runDirectory(this.#options.runsDir, run.id);
    let status: RunStatus | undefined;
    let interrupted: string | undefined;
    let error: string | null = null;
    try {
      await mkdir(dir, { recursive: true });
      const outcome = await executor.execute(
        { id: run.id, workflow: run.workflow, inputs: run.inputs, dir },
        {
          signal: active.cancel.signal,
          urgentSignal: active.urgent.signal,
          onEvent: (event: RunEvent) => {
            events.publish(run.id, { kind: 'run', event });
            metrics?.onRunEvent(run.id, run.workflow, event);
          },
        },
      );
      status = outcome.status;
      interrupted = outcome.interrupted;
    } catch (caught) {
      error = redactString(caught instanceof Error ? `${caught instanceof UcopError ? `${caught.code} ` : ''}${caught.message}` : String(caught));
    }
    const seconds = (performance.now() - active.startedAt) / 1000;
    let after: QueuedRun | undefined;
    const putBack = active.abortedFor === 'drain' || (interrupted !== undefined && active.abortedFor !== 'cancel');
    if (putBack) {
      after = queue.transition(run.id, 'queued');
      this.#log(`run ${run.id} put back in the queue (${active.abortedFor === 'drain' ? 'drain' : redactString(interrupted ?? '')}); it resumes from its record`);
    } else {
      const state = status ?? 'failed';
      after = queue.transition(run.id, state, error === null ? {} : { error });
      this.#log(`run ${run.id} ${state}${error === null ? '' : `: ${error}`}`);
    }
    metrics?.onRunEnded(run.id, run.workflow, putBack ? 'interrupted' : (status ?? 'failed'), seconds);
    events.publish(run.id, { kind: 'state', state: after?.state ?? 'failed' });
    events.ended(run.id);
    if (after) this.#options.onRunLeft?.(after);
  }

  #log(line: string): void {
    this.#options.log?.(line);
  }
}
