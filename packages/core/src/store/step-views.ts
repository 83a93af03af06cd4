import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UcopError } from '../errors/ucop-error.ts';
import type { ViewWorkerMessage, ViewWorkerReply } from './step-view-messages.ts';

// The worker's module sits next to this one, as .ts in the sources and .js once built.
const WORKER_URL = new URL(`./step-view-worker${extname(new URL(import.meta.url).pathname) || '.js'}`, import.meta.url);

/**
 * Writes the `steps/` views of a run in a worker thread (step-view-worker.ts). Creating ten thousand small
 * files costs far more than running ten thousand no-op steps; on its own thread that work overlaps the run
 * instead of adding to it, and the worker writes one file at a time (one open file, whatever the size of
 * the run). Views are sent only from journal batches already on disk, so a view never precedes its record.
 */
export class StepViews {
  readonly #worker: Worker;
  readonly #dir: string;
  readonly #drains = new Map<number, { resolve: () => void; reject: (error: unknown) => void }>();
  #nextId = 0;
  #failure: UcopError | undefined;
  #closed = false;

  constructor(dir: string) {
    this.#dir = dir;
    this.#worker = new Worker(WORKER_URL, { workerData: { dir } });
    this.#worker.unref();
    this.#worker.on('message', (reply: ViewWorkerReply) => {
      const drain = this.#drains.get(reply.id);
      if (!drain) return;
      this.#drains.delete(reply.id);
      if (this.#drains.size === 0) this.#worker.unref();
      if (reply.error !== undefined) drain.reject(this.#fail(reply.error));
      else drain.resolve();
    });
    this.#worker.on('error', (error) => {
      const failure = this.#fail(error.message);
      for (const d of this.#drains.values()) d.reject(failure);
      this.#drains.clear();
    });
  }

  /** A durable journal batch: the worker writes the view of every succeeded unit in it. */
  frames(batch: Buffer): void {
    this.#post({ kind: 'frames', bytes: batch });
  }

  /** A whole file to write under the run directory (`relative` uses `/`). */
  file(relative: string, content: string): void {
    this.#post({ kind: 'file', path: relative, content });
  }

  /** Resolves when every view sent so far is written. @throws UcopError INTERNAL naming the first write that failed */
  drain(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.resolve();
    const id = this.#nextId++;
    this.#worker.ref();
    const done = new Promise<void>((resolve, reject) => this.#drains.set(id, { resolve, reject }));
    this.#post({ kind: 'drain', id });
    return done;
  }

  /** Drains, then stops the worker. */
  async close(): Promise<void> {
    try {
      await this.drain();
    } finally {
      this.#closed = true;
      await this.#worker.terminate();
    }
  }

  #post(message: ViewWorkerMessage): void {
    if (!this.#closed && !this.#failure) this.#worker.postMessage(message);
  }

  #fail(message: string): UcopError {
    this.#failure ??= new UcopError('INTERNAL', `could not write the steps/ views under ${this.#dir}: ${message}; check that the output directory is writable and has space`, {
      fields: { path: this.#dir },
    });
    return this.#failure;
  }
}
