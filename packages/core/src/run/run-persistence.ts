import { join } from 'node:path';
import { UcopError } from '../errors/ucop-error.ts';
import { resolveInside, writeFileAtomic } from '../files/index.ts';
import type { RunRecordFile } from './run-record.ts';
import { stepOutputPath, type StepOutputFile } from './step-output-file.ts';

/**
 * Writes a run's files under its output directory, each atomically: `steps/<id>[.<index>].json` as units
 * finish, and `run.json` after steps finish (coalesced: while one write is in flight, later updates
 * collapse into one next write of the latest record) and once more at the end.
 */
export class RunPersistence {
  readonly outDir: string;
  readonly #pending = new Set<Promise<void>>();
  #failure: unknown;
  #nextRecord: (() => RunRecordFile) | undefined;
  #recordLoop: Promise<void> | undefined;

  constructor(outDir: string) {
    this.outDir = outDir;
  }

  /** Path of `run.json`. */
  get recordPath(): string {
    return join(this.outDir, 'run.json');
  }

  /** Starts writing a unit's output file; returns its path relative to the output directory. */
  writeStepOutput(file: StepOutputFile): string {
    const relative = stepOutputPath(file.stepId, file.itemIndex);
    const write = this.#write(relative, JSON.stringify(file, null, 2) + '\n');
    this.#pending.add(write);
    void write.finally(() => this.#pending.delete(write));
    return relative;
  }

  /** Asks for `run.json` to be rewritten from `build()` (called when the write starts, so it sees the latest). */
  saveRecord(build: () => RunRecordFile): void {
    this.#nextRecord = build;
    this.#recordLoop ??= this.#drainRecords();
  }

  /**
   * Waits for every file write, then writes the final record.
   * @throws UcopError INTERNAL naming the file that could not be written
   */
  async finish(record: RunRecordFile): Promise<void> {
    this.#nextRecord = undefined;
    await this.#recordLoop;
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
    await this.#write('run.json', JSON.stringify(record, null, 2) + '\n');
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #drainRecords(): Promise<void> {
    try {
      for (let build = this.#nextRecord; build; build = this.#nextRecord) {
        this.#nextRecord = undefined;
        await this.#write('run.json', JSON.stringify(build(), null, 2) + '\n');
      }
    } finally {
      this.#recordLoop = undefined;
    }
  }

  async #write(relative: string, content: string): Promise<void> {
    let path = relative;
    try {
      path = resolveInside(this.outDir, relative);
      await writeFileAtomic(path, content);
    } catch (error) {
      this.#failure ??= new UcopError('INTERNAL', `could not write ${path}: ${error instanceof Error ? error.message : String(error)}; check that the output directory is writable and has space`, {
        fields: { path },
        cause: error,
      });
    }
  }
}
