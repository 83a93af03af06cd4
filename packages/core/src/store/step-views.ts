import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import { UcopError } from '../errors/ucop-error.ts';
import { decodeFrames } from './journal-frame.ts';
import type { ViewWorkerMessage, ViewWorkerReply } from './step-view-messages.ts';
import { renderStepView } from './step-view.ts';
import { writeViewFile } from './view-file.ts';

// The worker's module sits next to this one, as .ts in the sources and .js once built.
const WORKER_URL = new URL(`./step-view-worker${extname(new URL(import.meta.url).pathname) || '.js'}`, import.meta.url);

/** Views written on the main thread before a worker takes over, unless told otherwise. */
export const INLINE_VIEWS = 256;

/** Options of {@link StepViews}. */
export interface StepViewsOptions {
  /**
   * Views written on the main thread before the rest go to a worker thread (starting one costs more than
   * writing a few hundred files).
   * @default 256
   */
  inlineViews?: number;
  /**
   * Files the main thread has open at once while it writes views.
   * @default 8
   */
  openFiles?: number;
  /**
   * Start the worker at once (a run known to be large), so that its start overlaps the run's.
   * @default false
   */
  startWorker?: boolean;
}

/**
 * Writes the `steps/` views of a run. Creating ten thousand small files costs far more than running ten
 * thousand no-op steps, so past the first few hundred views the work moves to a worker thread
 * (step-view-worker.ts), where it overlaps the run instead of adding to it. Open files are bounded either
 * way: `openFiles` on the main thread, one in the worker. Views are sent only from journal batches already
 * on disk, so a view never precedes its record.
 */
export class StepViews {
  readonly #dir: string;
  readonly #inlineViews: number;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #madeDirs = new Set<string>();
  readonly #inline = new Set<Promise<void>>();
  readonly #drains = new Map<number, { resolve: () => void; reject: (error: unknown) => void }>();
  #worker: Worker | undefined;
  #views = 0;
  #nextId = 0;
  #failure: UcopError | undefined;
  #closed = false;

  constructor(dir: string, options: StepViewsOptions = {}) {
    this.#dir = dir;
    this.#inlineViews = options.inlineViews ?? INLINE_VIEWS;
    this.#limit = pLimit(options.openFiles ?? 8);
    if (options.startWorker) this.#startWorker();
  }

  /** A durable journal batch: the view of every succeeded unit in it is written. */
  frames(batch: Buffer): void {
    if (this.#closed || this.#failure) return;
    if (!this.#worker) {
      const views = [];
      for (const record of decodeFrames(batch).records) {
        const view = record.t === 'unit' ? renderStepView(record) : undefined;
        if (view) views.push(view);
      }
      if (this.#views + views.length <= this.#inlineViews) {
        for (const view of views) this.file(view.path, view.content);
        return;
      }
      this.#startWorker();
    }
    this.#post({ kind: 'frames', bytes: batch });
  }

  /** A whole file to write under the run directory (`relative` uses `/`). */
  file(relative: string, content: string): void {
    if (this.#closed || this.#failure) return;
    this.#views += 1;
    if (!this.#worker && this.#views > this.#inlineViews) this.#startWorker();
    if (this.#worker) {
      this.#post({ kind: 'file', path: relative, content });
      return;
    }
    const write = this.#limit(() => writeViewFile(join(this.#dir, relative), content, this.#madeDirs)).catch((error: unknown) => {
      this.#fail(error instanceof Error ? error.message : String(error));
    });
    this.#inline.add(write);
    void write.finally(() => this.#inline.delete(write));
  }

  /** Resolves when every view sent so far is written. @throws UcopError INTERNAL naming the first write that failed */
  async drain(): Promise<void> {
    while (this.#inline.size > 0) await Promise.all([...this.#inline]);
    if (this.#failure) throw this.#failure;
    const worker = this.#worker;
    if (!worker || this.#closed) return;
    const id = this.#nextId++;
    worker.ref();
    const done = new Promise<void>((resolve, reject) => this.#drains.set(id, { resolve, reject }));
    this.#post({ kind: 'drain', id });
    await done;
  }

  /** Drains, then stops the worker. */
  async close(): Promise<void> {
    try {
      await this.drain();
    } finally {
      this.#closed = true;
      await this.#worker?.terminate();
    }
  }

  #startWorker(): void {
    const worker = new Worker(WORKER_URL, { workerData: { dir: this.#dir } });
    this.#worker = worker;
    worker.unref();
    worker.on('message', (reply: ViewWorkerReply) => {
      const drain = this.#drains.get(reply.id);
      if (!drain) return;
      this.#drains.delete(reply.id);
      if (this.#drains.size === 0) worker.unref();
      if (reply.error !== undefined) drain.reject(this.#fail(reply.error));
      else drain.resolve();
    });
    worker.on('error', (error) => {
      const failure = this.#fail(error.message);
      for (const d of this.#drains.values()) d.reject(failure);
      this.#drains.clear();
    });
  }

  #post(message: ViewWorkerMessage): void {
    if (!this.#closed && !this.#failure) this.#worker!.postMessage(message);
  }

  #fail(message: string): UcopError {
    this.#failure ??= new UcopError('INTERNAL', `could not write the steps/ views under ${this.#dir}: ${message}; check that the output directory is writable and has space`, {
      fields: { path: this.#dir },
    });
    return this.#failure;
  }
}
