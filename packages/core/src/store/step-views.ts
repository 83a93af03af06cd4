import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import { UcopError } from '../errors/ucop-error.ts';
import { writeViewFile } from './view-file.ts';

/** Views written on the main thread before a worker takes over, unless told otherwise. */
export const INLINE_VIEWS = 256;

/**
 * The view writer thread: it writes the files it is sent, up to {@link WORKER_OPEN_FILES} at once through
 * Node's asynchronous fs (the disk creates files in parallel: one at a time, ten thousand small files took
 * about five times as long), creating directories once, and answers a `drain` when everything sent before it
 * is written, with the first error if one happened. Plain JavaScript given as source: a thread that loads no
 * module starts in a few milliseconds, where one loading TypeScript sources pays for the type-stripping loader
 * again. Views are written in place (see view-file.ts).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { mkdirSync } = require('node:fs');
const { writeFile } = require('node:fs/promises');
const { dirname, join } = require('node:path');
const made = new Set();
const queue = [];
let next = 0;
let active = 0;
let failure;
const drains = [];
function settle() {
  if (active > 0 || next < queue.length) return;
  queue.length = 0;
  next = 0;
  for (const id of drains.splice(0)) parentPort.postMessage({ id, error: failure });
}
function pump() {
  while (active < workerData.openFiles && next < queue.length && failure === undefined) {
    const relative = queue[next];
    const content = queue[next + 1];
    next += 2;
    active += 1;
    const path = join(workerData.dir, relative);
    try {
      const dir = dirname(path);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    writeFile(path, content, { mode: 0o644 })
      .catch((error) => { if (failure === undefined) failure = error instanceof Error ? error.message : String(error); })
      .finally(() => { active -= 1; pump(); settle(); });
  }
  if (failure !== undefined) next = queue.length;
}
parentPort.on('message', (message) => {
  if (message.kind === 'drain') {
    drains.push(message.id);
    settle();
    return;
  }
  if (failure !== undefined) return;
  for (const item of message.files) queue.push(item);
  pump();
});
`;

/** Files the view writer thread has open at once. */
export const WORKER_OPEN_FILES = 16;

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
 * thousand no-op steps, so past the first few hundred views the work moves to a worker thread, where it
 * overlaps the run instead of adding to it. Open files are bounded either way: `openFiles` on the main
 * thread, {@link WORKER_OPEN_FILES} in the worker. The store hands views over only once their journal records are on disk.
 */
export class StepViews {
  readonly #dir: string;
  readonly #inlineViews: number;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #madeDirs = new Set<string>();
  readonly #inline = new Set<Promise<void>>();
  readonly #drains = new Map<number, { resolve: () => void; reject: (error: unknown) => void }>();
  #worker: Worker | undefined;
  /** Path, content, path, content... waiting to be posted to the worker in one message. */
  #batch: string[] = [];
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

  /** A file to write under the run directory (`relative` uses `/`); sent with the next {@link send}. */
  file(relative: string, content: string): void {
    if (this.#closed || this.#failure) return;
    this.#views += 1;
    if (!this.#worker && this.#views > this.#inlineViews) this.#startWorker();
    if (this.#worker) {
      this.#batch.push(relative, content);
      return;
    }
    const write = this.#limit(() => writeViewFile(join(this.#dir, relative), content, this.#madeDirs)).catch((error: unknown) => {
      this.#fail(error instanceof Error ? error.message : String(error));
    });
    this.#inline.add(write);
    void write.finally(() => this.#inline.delete(write));
  }

  /** Hands the files given since the last call to the worker, in one message. */
  send(): void {
    if (this.#batch.length === 0 || !this.#worker || this.#closed) return;
    this.#worker.postMessage({ kind: 'files', files: this.#batch });
    this.#batch = [];
  }

  /** Resolves when every view given so far is written. @throws UcopError INTERNAL naming the first write that failed */
  async drain(): Promise<void> {
    this.send();
    while (this.#inline.size > 0) await Promise.all([...this.#inline]);
    if (this.#failure) throw this.#failure;
    const worker = this.#worker;
    if (!worker || this.#closed) return;
    const id = this.#nextId++;
    worker.ref();
    const done = new Promise<void>((resolve, reject) => this.#drains.set(id, { resolve, reject }));
    worker.postMessage({ kind: 'drain', id });
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
    // No execArgv: the thread needs no loader, and one inherited from the host (a test runner's) would cost its start.
    // Loaded here, not at import: only a run with many views starts the thread.
    const { Worker: WorkerThread } = process.getBuiltinModule('node:worker_threads');
    const worker = new WorkerThread(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { dir: this.#dir, openFiles: WORKER_OPEN_FILES } });
    this.#worker = worker;
    worker.unref();
    worker.on('message', (reply: { id: number; error?: string }) => {
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

  #fail(message: string): UcopError {
    this.#failure ??= new UcopError('INTERNAL', `could not write the steps/ views under ${this.#dir}: ${message}; check that the output directory is writable and has space`, {
      fields: { path: this.#dir },
    });
    return this.#failure;
  }
}
