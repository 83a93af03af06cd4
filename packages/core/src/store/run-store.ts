import { open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { UcopError, toUcopError } from '../errors/ucop-error.ts';
import { DEFAULT_STEP_FILES, type StepFilesSetting } from '../config/step-files-setting.ts';
import type { RunRecordFile, StepFilesSummary } from '../run/run-record.ts';
import { maxFrameBytes, writeFrame } from './journal-frame.ts';
import type { JournalRecord } from './journal-record.ts';
import { readJournal } from './journal-reader.ts';
import { GroupCommitLog, type GroupCommitOptions } from './group-commit-log.ts';
import { RecordView, type RecordViewOptions } from './record-view.ts';
import { acquireRunLock, type RunLock } from './run-lock.ts';
import { INLINE_VIEWS, StepViews, type StepViewsOptions } from './step-views.ts';
import { StepFileCounter } from './step-file-budget.ts';
import { removeTempFiles } from './temp-files.ts';

/** The journal of a run directory. */
export const JOURNAL_FILE = 'journal.ucop';

/**
 * Where a run keeps what happened to it: an append-only journal, the source of truth that resume reads,
 * and the views made from it (`steps/` files, `run.json`). One process at a time holds a store (a lock on
 * the directory). The CLI, the daemon and the distributed coordinator all run through this interface.
 */
export interface RunStore {
  /** The run directory (absolute). */
  readonly dir: string;
  /** What earlier runs in this directory recorded (read at open to resume; empty otherwise), torn tail excluded. */
  readonly earlier: readonly JournalRecord[];
  /** Whether the journal ended in a torn or damaged record when opened (it was cut off and ignored). */
  readonly tornTail: boolean;
  /** Appends a record; it is durable after the next group commit (a few ms) or {@link flush}. */
  append(record: JournalRecord): void;
  /** Resolves when every record appended so far is durable. */
  flush(): Promise<void>;
  /**
   * `records()` is called just before each group commit takes its batch; the records it returns go into that
   * batch (the recorder journals then the `start` of the units still running, see RunRecorder).
   */
  beforeCommit(records: () => readonly JournalRecord[]): void;
  /** Asks for a group commit within its delay even if nothing is appended meanwhile (so that `beforeCommit` runs). */
  commitSoon(): void;
  /**
   * Writes a unit's `steps/` view file under the directory (relative, with `/`), once the records appended so
   * far are durable (never before), if the step files setting lets the run write it; `content` is rendered
   * only then. @returns whether it will be written
   */
  writeView(relative: string, content: () => string): boolean;
  /** Rewrites the partial `run.json` from `build()`, at a bounded rate. */
  saveRecord(build: () => RunRecordFile): void;
  /** Which `steps/` files the run wrote so far and which it did not (for `run.json`'s `stepFiles`). */
  stepFiles(): StepFilesSummary;
  /**
   * Makes everything durable, finishes the views (the final `run.json` when given), removes temporary files
   * and releases the lock.
   * @throws UcopError INTERNAL naming what could not be written
   */
  close(finalRecord?: RunRecordFile): Promise<void>;
}

/** Options of {@link openRunStore}. */
export interface RunStoreOptions {
  /** Keep the journal of earlier runs and read it back (resume); otherwise a new journal replaces it. */
  resume: boolean;
  groupCommit?: Pick<GroupCommitOptions, 'maxDelayMs' | 'maxBatchBytes'>;
  recordView?: RecordViewOptions;
  views?: StepViewsOptions;
  /**
   * How many units (steps and fan-out items) the run will have at least, when known: a run of more than a
   * few hundred starts its view writer thread at once instead of after the first few hundred views.
   */
  expectedUnits?: number;
  /** Which `steps/` files the run writes (see StepFilesSetting). @default auto, threshold 1000 */
  stepFiles?: StepFilesSetting;
}

/**
 * Opens the store of a run directory (created if missing): takes its lock, removes temporary files a
 * killed run left, reads the earlier journal when resuming (cutting off a torn last record) or starts a new
 * one, and starts the view writer.
 * @throws UcopError RUN_LOCKED when another process holds the directory; INTERNAL when it cannot be written
 */
export async function openRunStore(dir: string, options: RunStoreOptions): Promise<RunStore> {
  const lock = await acquireRunLock(dir);
  try {
    await removeTempFiles(dir);
    const path = join(dir, JOURNAL_FILE);
    const earlier = options.resume ? await readJournal(path) : { records: [], validBytes: 0, torn: false };
    const handle = await open(path, options.resume ? 'a' : 'w', 0o644);
    try {
      if (earlier.torn) await handle.truncate(earlier.validBytes);
      await handle.sync();
    } catch (error) {
      await handle.close();
      throw error;
    }
    const stepFiles = options.stepFiles ?? DEFAULT_STEP_FILES;
    const onDisk = stepFiles.mode === 'all' ? [] : await listViewFiles(dir);
    return new FileRunStore(dir, lock, handle, earlier.records, earlier.torn, options, new StepFileCounter(stepFiles, options.expectedUnits ?? 0, onDisk));
  } catch (error) {
    await lock.release();
    if (error instanceof UcopError) throw error;
    throw new UcopError('INTERNAL', `could not open the run store in ${dir}: ${(error as Error).message}; check that the output directory is writable`, { fields: { path: dir }, cause: error });
  }
}

/** The files under `steps/` (paths relative to the run directory); none when it is missing. */
async function listViewFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(join(dir, 'steps'))).map((name) => `steps/${name}`);
  } catch {
    return [];
  }
}

/** A view file held back until the journal bytes before it are durable. */
interface WaitingView {
  after: number;
  path: string;
  content: string;
}

class FileRunStore implements RunStore {
  readonly dir: string;
  readonly earlier: readonly JournalRecord[];
  readonly tornTail: boolean;
  readonly #lock: RunLock;
  readonly #log: GroupCommitLog;
  readonly #views: StepViews;
  readonly #record: RecordView;
  readonly #stepFiles: StepFileCounter;
  /** Bytes appended, and view files waiting for the bytes before them to be durable. */
  #appended = 0;
  #durable = 0;
  #waitingViews: WaitingView[] = [];
  #closing: Promise<void> | undefined;
  #beforeCommit: (() => readonly JournalRecord[]) | undefined;
  #encodeFailure: UcopError | undefined;

  constructor(dir: string, lock: RunLock, handle: FileHandle, earlier: JournalRecord[], torn: boolean, options: RunStoreOptions, stepFiles: StepFileCounter) {
    this.dir = dir;
    this.earlier = earlier;
    this.tornTail = torn;
    this.#lock = lock;
    this.#stepFiles = stepFiles;
    this.#views = new StepViews(dir, { startWorker: this.#stepFiles.any && (options.expectedUnits ?? 0) > INLINE_VIEWS, ...options.views });
    this.#record = new RecordView(join(dir, 'run.json'), options.recordView);
    this.#log = new GroupCommitLog(handle, {
      ...options.groupCommit,
      onDurable: (batch) => {
        this.#durable += batch.length;
        if (this.#waitingViews.length > 0) this.#releaseViews();
      },
      beforeBatch: () => {
        if (this.#beforeCommit) for (const record of this.#beforeCommit()) this.append(record);
      },
    });
  }

  append(record: JournalRecord): void {
    let json: string;
    try {
      json = JSON.stringify(record);
    } catch (error) {
      // A value JSON cannot hold (the engine checks outputs before they get here; this is the backstop):
      // the run goes on, and closing the store reports it.
      this.#encodeFailure ??= new UcopError('INTERNAL', `could not journal a "${record.t}" record${'step' in record ? ` of step "${record.step}"` : ''}: ${(error as Error).message}`, { cause: error });
      return;
    }
    // Framed straight into the group commit's batch.
    const length = writeFrame(json, this.#log.reserve(maxFrameBytes(json)), this.#log.pendingBytes);
    this.#appended += length;
    this.#log.appended(length);
  }

  flush(): Promise<void> {
    return this.#log.flush();
  }

  beforeCommit(records: () => readonly JournalRecord[]): void {
    this.#beforeCommit = records;
  }

  commitSoon(): void {
    this.#log.commitSoon();
  }

  writeView(relative: string, content: () => string): boolean {
    if (!this.#stepFiles.take(relative)) return false;
    if (this.#durable >= this.#appended) {
      this.#views.file(relative, content());
      this.#views.send();
    } else this.#waitingViews.push({ after: this.#appended, path: relative, content: content() });
    return true;
  }

  saveRecord(build: () => RunRecordFile): void {
    this.#record.update(build);
  }

  stepFiles(): StepFilesSummary {
    return this.#stepFiles.summary();
  }

  close(finalRecord?: RunRecordFile): Promise<void> {
    // Closing twice (an error path after a normal close) closes once.
    this.#closing ??= this.#close(finalRecord);
    return this.#closing;
  }

  async #close(finalRecord: RunRecordFile | undefined): Promise<void> {
    const failures: UcopError[] = this.#encodeFailure ? [this.#encodeFailure] : [];
    const attempt = async (what: string, path: string, action: () => Promise<unknown>): Promise<void> => {
      try {
        await action();
      } catch (error) {
        const e = toUcopError(error, 'INTERNAL');
        failures.push(e.code === 'INTERNAL' && !e.message.includes(path) ? new UcopError('INTERNAL', `could not write ${path} (${what}): ${e.message}; check that the output directory is writable and has space`, { fields: { path }, cause: error }) : e);
      }
    };
    await attempt('the run journal', join(this.dir, JOURNAL_FILE), () => this.#log.close());
    // Nothing is committed any more: the hook (the recorder, and through it the run) is let go.
    this.#beforeCommit = undefined;
    this.#releaseViews(true);
    await attempt('the steps/ views', join(this.dir, 'steps'), () => this.#views.close());
    if (finalRecord) await attempt('the run record', join(this.dir, 'run.json'), () => this.#record.finish(finalRecord));
    // Views are written in place (no temporary files), so their directory need not be searched again.
    await removeTempFiles(this.dir, { skip: ['steps'] });
    await this.#lock.release();
    if (failures.length > 0) throw failures[0];
  }

  #releaseViews(all = false): void {
    // Views wait in append order, so the ones now durable are a prefix.
    let n = 0;
    while (n < this.#waitingViews.length && (all || this.#waitingViews[n]!.after <= this.#durable)) {
      const view = this.#waitingViews[n]!;
      this.#views.file(view.path, view.content);
      n += 1;
    }
    this.#waitingViews = n === this.#waitingViews.length ? [] : this.#waitingViews.slice(n);
    this.#views.send();
  }
}
