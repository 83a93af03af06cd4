import { writeFileAtomic } from '../files/write-file-atomic.ts';
import type { RunRecordFile } from '../run/run-record.ts';

/** Options of {@link RecordView}. */
export interface RecordViewOptions {
  /**
   * Shortest time between two writes of the partial record.
   * @default 200
   */
  minIntervalMs?: number;
  /**
   * The pause after a write is at least this many times as long as the write took, so that rewriting a
   * growing record costs a bounded share of the run however large it gets.
   * @default 4
   */
  costFactor?: number;
}

/**
 * `run.json` as a view of the run: rewritten while the run goes on at a bounded rate (not in its first
 * `minIntervalMs`, never more often than that, and with pauses that grow with the record's size), as compact
 * JSON, then once at the end, indented. The record is built only when a write starts, so updates between
 * writes cost nothing.
 */
export class RecordView {
  readonly #path: string;
  readonly #minIntervalMs: number;
  readonly #costFactor: number;
  #build: (() => RunRecordFile) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  /** No partial write before this (performance.now()). */
  #nextAllowed: number;
  #failure: unknown;
  #closed = false;

  constructor(path: string, options: RecordViewOptions = {}) {
    this.#path = path;
    this.#minIntervalMs = options.minIntervalMs ?? 200;
    this.#costFactor = options.costFactor ?? 10;
    // The first partial write waits the interval too: a run that ends within it writes its record once, at
    // the end (building and writing the record of a run of ten thousand units while it starts cost about a
    // tenth of the product path). A run killed before then has its journal, which resume reads.
    this.#nextAllowed = performance.now() + this.#minIntervalMs;
  }

  /** Asks for the partial record to be written from `build()` when the rate allows. */
  update(build: () => RunRecordFile): void {
    if (this.#closed) return;
    this.#build = build;
    if (this.#writing || this.#timer) return;
    const wait = Math.max(0, this.#nextAllowed - performance.now());
    this.#timer = setTimeout(() => this.#writeLatest(), wait);
    this.#timer.unref();
  }

  /**
   * Writes the final record (after any partial write in flight).
   * @throws the error of the final write (a failed partial write is retried by this one)
   */
  async finish(record: RunRecordFile): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#build = undefined;
    await this.#writing;
    await writeFileAtomic(this.#path, JSON.stringify(record, null, 2) + '\n');
  }

  /** The error of the last partial write, if it failed. */
  get failure(): unknown {
    return this.#failure;
  }

  #writeLatest(): void {
    this.#timer = undefined;
    const build = this.#build;
    this.#build = undefined;
    if (!build || this.#closed) return;
    const started = performance.now();
    // Compact while the run goes on (readers parse it; the indented text took 1.7x as long to make, for a
    // record rewritten while the steps wait); the final record is indented.
    this.#writing = writeFileAtomic(this.#path, JSON.stringify(build()) + '\n')
      .then(
        () => {
          this.#failure = undefined;
        },
        (error: unknown) => {
          this.#failure = error;
        },
      )
      .finally(() => {
        const took = performance.now() - started;
        this.#writing = undefined;
        this.#nextAllowed = performance.now() + Math.max(this.#minIntervalMs, took * this.#costFactor);
        if (this.#build) this.update(this.#build);
      });
  }
}
