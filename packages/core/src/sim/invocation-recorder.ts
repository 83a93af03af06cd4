/** How an invocation ended; `running` until it does. */
export type InvocationOutcome = 'running' | 'ok' | 'error' | 'aborted';

/** One call of a simulated agent. Times are in the recorder's clock (ms). */
export interface InvocationRecord {
  runId: string;
  stepId: string;
  /** Undefined for a step without `for_each`. */
  itemIndex: number | undefined;
  attempt: number;
  startedAt: number;
  /** Undefined while running. */
  endedAt: number | undefined;
  outcome: InvocationOutcome;
}

export interface InvocationRecorderOptions {
  /**
   * The time source. Read at each call, so vitest fake timers apply to the default.
   * @default () => performance.now()
   */
  now?: () => number;
}

/**
 * Records every invocation of the simulated agents, so that tests can count executions (each attempt runs
 * exactly once) and check dependencies and caps from the recorded start and end times.
 */
export class InvocationRecorder {
  readonly #records: InvocationRecord[] = [];
  readonly #now: () => number;

  constructor(options: InvocationRecorderOptions = {}) {
    this.#now = options.now ?? (() => performance.now());
  }

  /** Opens a record; call `finish` on the returned handle exactly once. */
  start(info: { runId: string; stepId: string; itemIndex: number | undefined; attempt: number }): { finish(outcome: Exclude<InvocationOutcome, 'running'>): void } {
    const record: InvocationRecord = { ...info, startedAt: this.#now(), endedAt: undefined, outcome: 'running' };
    this.#records.push(record);
    return {
      finish: (outcome) => {
        record.endedAt = this.#now();
        record.outcome = outcome;
      },
    };
  }

  /** Invocations of `stepId` (of one fan-out item when `itemIndex` is given), every attempt counted. */
  count(stepId: string, itemIndex?: number): number {
    let n = 0;
    for (const r of this.#records) {
      if (r.stepId === stepId && (itemIndex === undefined || r.itemIndex === itemIndex)) n += 1;
    }
    return n;
  }

  /** Copies of all records, in start order. */
  all(): InvocationRecord[] {
    return this.#records.map((r) => ({ ...r }));
  }

  /**
   * The most invocations that were running at the same time, from the recorded intervals (an invocation
   * still running counts until now). One ending at the instant another starts does not overlap it.
   * @param filter counts only the records it accepts (e.g. one step's items)
   */
  maxConcurrent(filter?: (record: InvocationRecord) => boolean): number {
    // [time, rank, delta]: at one instant, ends come before starts (back-to-back does not overlap), except
    // the end of a zero-length invocation, which must follow its own start.
    const edges: [time: number, rank: number, delta: number][] = [];
    for (const r of this.#records) {
      if (filter && !filter(r)) continue;
      const end = r.endedAt ?? Number.POSITIVE_INFINITY;
      edges.push([r.startedAt, 1, 1], [end, end === r.startedAt ? 2 : 0, -1]);
    }
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let max = 0;
    for (const [, , delta] of edges) {
      running += delta;
      if (running > max) max = running;
    }
    return max;
  }

  clear(): void {
    this.#records.length = 0;
  }
}
