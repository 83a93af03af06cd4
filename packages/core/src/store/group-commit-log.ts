import type { FileHandle } from 'node:fs/promises';

/** Options of {@link GroupCommitLog}. */
export interface GroupCommitOptions {
  /**
   * Longest time an appended record waits before the write that makes it durable starts.
   * @default 5
   */
  maxDelayMs?: number;
  /**
   * A batch this large is written at once, without waiting for the delay.
   * @default 1 MiB
   */
  maxBatchBytes?: number;
  /** Told each batch once it is on disk (after its fsync), in order; its buffer is reused afterwards (copy what you keep). */
  onDurable?: (batch: Buffer) => void;
  /** Called just before a batch is taken for writing: what it appends (synchronously) goes into that batch. */
  beforeBatch?: () => void;
}

/** The first size of a batch buffer (it doubles when a batch needs more). */
const INITIAL_BATCH_BYTES = 64 * 1024;

interface Waiter {
  upTo: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An append-only file written with group commit, as databases write their log: appended frames collect in
 * memory and go to disk together, one write and one fdatasync for the whole batch, at most `maxDelayMs`
 * after the first of them (or at once when the batch is large). Durability then costs one fsync per batch
 * rather than one per record. While a batch is being written, new frames collect for the next one.
 */
export class GroupCommitLog {
  readonly #handle: FileHandle;
  readonly #maxDelayMs: number;
  readonly #maxBatchBytes: number;
  readonly #onDurable: ((batch: Buffer) => void) | undefined;
  readonly #beforeBatch: (() => void) | undefined;
  /**
   * The batch being filled: frames are written into it (copied, or encoded in place by {@link reserve}),
   * not kept as one buffer each and joined when written; `#spare` is the buffer of the last batch written,
   * reused for the next but one (at most one batch is being written at a time).
   */
  #batch: Buffer = Buffer.allocUnsafeSlow(INITIAL_BATCH_BYTES);
  #spare: Buffer | undefined;
  #pendingBytes = 0;
  /** Bytes appended since open, and bytes of those on disk. */
  #appended = 0;
  #durable = 0;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  #failure: unknown;
  #waiters: Waiter[] = [];
  /** `beforeBatch` is running: what it appends joins the batch being taken (no timer, no write of its own). */
  #takingBatch = false;
  /** A commit was asked for without a frame ({@link commitSoon}): `beforeBatch` may have some to give. */
  #wanted = false;

  constructor(handle: FileHandle, options: GroupCommitOptions = {}) {
    this.#handle = handle;
    this.#maxDelayMs = options.maxDelayMs ?? 5;
    this.#maxBatchBytes = options.maxBatchBytes ?? 1024 * 1024;
    this.#onDurable = options.onDurable;
    this.#beforeBatch = options.beforeBatch;
  }

  /** The first write or sync error, if one happened (every later flush rejects with it). */
  get failure(): unknown {
    return this.#failure;
  }

  /** Queues a frame; it is durable once a later {@link flush} resolves (or the next batch is written). */
  append(frame: Uint8Array): void {
    this.reserve(frame.length).set(frame, this.#pendingBytes);
    this.appended(frame.length);
  }

  /**
   * Room for a frame of at most `maxBytes` at the end of the batch: the caller writes it into the returned
   * buffer at offset {@link pendingBytes}, then calls {@link appended} with its length (before anything else
   * is appended). Encoding records in place spares a buffer per record and the copy that joined them.
   */
  reserve(maxBytes: number): Buffer {
    const needed = this.#pendingBytes + maxBytes;
    if (needed > this.#batch.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.#batch.length * 2));
      this.#batch.copy(grown, 0, 0, this.#pendingBytes);
      this.#batch = grown;
    }
    return this.#batch;
  }

  /** Bytes in the batch being filled: where the next frame goes in the buffer {@link reserve} returns. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** A frame of `bytes` was written at {@link pendingBytes} into the buffer {@link reserve} returned. */
  appended(bytes: number): void {
    this.#pendingBytes += bytes;
    this.#appended += bytes;
    if (this.#writing || this.#takingBatch) return;
    if (this.#pendingBytes >= this.#maxBatchBytes) this.#startWrite();
    else this.#timer ??= setTimeout(() => this.#startWrite(), this.#maxDelayMs);
  }

  /**
   * Asks for a batch within the delay even when no frame is waiting, so that `beforeBatch` runs (and may
   * append); nothing is written if it appends nothing.
   */
  commitSoon(): void {
    this.#wanted = true;
    if (this.#writing || this.#failure !== undefined) return;
    this.#timer ??= setTimeout(() => this.#startWrite(), this.#maxDelayMs);
  }

  /** Resolves when every frame appended before the call is on disk; rejects if writing failed. */
  flush(): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#durable >= this.#appended) return Promise.resolve();
    const upTo = this.#appended;
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ upTo, resolve, reject }));
    if (!this.#writing) this.#startWrite();
    return done;
  }

  /** Flushes, then closes the file (also after a failure: the handle is always released). */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      clearTimeout(this.#timer);
      await this.#writing?.catch(() => undefined);
      await this.#handle.close();
    }
  }

  #startWrite(): void {
    if (!this.#writing && this.#failure === undefined) this.#takeFromHook();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#writing || this.#pendingBytes === 0 || this.#failure !== undefined) return;
    this.#writing = this.#writeBatches().finally(() => {
      this.#writing = undefined;
      // Frames that came during the last write wait for their own delay at most.
      if ((this.#pendingBytes > 0 || this.#wanted) && this.#failure === undefined) this.#timer ??= setTimeout(() => this.#startWrite(), this.#waiters.length > 0 ? 0 : this.#maxDelayMs);
    });
  }

  async #writeBatches(): Promise<void> {
    try {
      while (this.#pendingBytes > 0) {
        const full = this.#batch;
        const batch = full.subarray(0, this.#pendingBytes);
        const upTo = this.#appended;
        // The next frames go to the spare buffer (the one written last time, free again) or a new one.
        this.#batch = this.#spare ?? Buffer.allocUnsafeSlow(INITIAL_BATCH_BYTES);
        this.#spare = undefined;
        this.#pendingBytes = 0;
        let written = 0;
        while (written < batch.length) written += (await this.#handle.write(batch, written, batch.length - written)).bytesWritten;
        await this.#handle.datasync();
        this.#durable = upTo;
        this.#onDurable?.(batch);
        // Written and told: the buffer can take a later batch (a huge one is let go rather than kept).
        if (full.length <= 16 * INITIAL_BATCH_BYTES) this.#spare = full;
        this.#settle();
        // Waiters that asked for a flush want it now; otherwise later frames wait for their delay.
        if (this.#waiters.length === 0) break;
        this.#takeFromHook();
      }
    } catch (error) {
      this.#failure = error;
      for (const w of this.#waiters.splice(0)) w.reject(error);
    }
  }

  /** Lets `beforeBatch` append to the batch about to be taken. */
  #takeFromHook(): void {
    this.#wanted = false;
    if (!this.#beforeBatch) return;
    this.#takingBatch = true;
    try {
      this.#beforeBatch();
    } finally {
      this.#takingBatch = false;
    }
  }

  #settle(): void {
    const still: Waiter[] = [];
    for (const w of this.#waiters) {
      if (w.upTo <= this.#durable) w.resolve();
      else still.push(w);
    }
    this.#waiters = still;
  }
}
