import type { EventError, RunStatus } from '../engine/run-events.ts';
import type { EarlierResult } from '../run/resume.ts';
import type { RunRecordFile } from '../run/run-record.ts';
import { stepOutputPath } from '../run/step-output-file.ts';
import type { StateWrite } from '../state/state-view.ts';
import type { ArtifactHash, StepFinishedRecord, UnitFinishedRecord, UnitStartedRecord } from './journal-record.ts';
import type { RunStore } from './run-store.ts';
import { hasStepView, renderFanOutView, renderStepView } from './step-view.ts';

/** A unit's end as the run session reports it. */
export interface UnitEnd {
  stepId: string;
  itemIndex: number | undefined;
  status: UnitFinishedRecord['status'];
  attempts: number;
  fingerprint: string | undefined;
  output: unknown;
  writes: StateWrite[];
  artifacts: ArtifactHash[] | undefined;
  error: EventError | undefined;
}

/** A unit as the recorder tracks it between its start and its end (the engine's ExecutionUnit is one). */
export interface StartedUnit {
  readonly step: { readonly id: string };
  readonly itemIndex: number | undefined;
}

/**
 * What the run session tells the store, as journal records and views: the session says what happened to
 * units and steps, the recorder turns it into records (and view files where a record alone does not make
 * one), so that the session knows nothing of frames or files.
 *
 * A unit's `start` record is journaled only if the unit is still running when a group commit takes its
 * batch (or when the run ends): a unit that ends before then has its `unit` record in the same batch, which
 * says all the `start` would. Nothing decides from `start` records (resume reads `unit` records); they tell
 * what was running when a run was killed, and those are exactly the units still running at a commit. A
 * `start` per unit was a third of what the journal cost a quick step.
 */
export class RunRecorder {
  readonly #store: RunStore;
  /** Units started whose `start` record is not journaled yet (each is journaled at most once). */
  #starting = new Set<StartedUnit>();

  constructor(store: RunStore) {
    this.#store = store;
    store.beforeCommit(() => this.#startRecords());
  }

  runStarted(runId: string, workflow: string, startedAt: string, resume: boolean): void {
    this.#store.append({ t: 'run', runId, workflow, startedAt, resume });
  }

  /** A unit began its first attempt: its `start` record goes into the next group commit if it is still running then. */
  unitStarted(unit: StartedUnit): void {
    // The first unit waiting makes sure a commit comes (a long unit started while nothing else is appended).
    if (this.#starting.size === 0) this.#store.commitSoon();
    this.#starting.add(unit);
  }

  /** A unit ended (journaled or not): no `start` record is needed for it any more. */
  unitEnded(unit: StartedUnit): void {
    this.#starting.delete(unit);
  }

  /** The `start` records of the units started and still running, taken once. */
  #startRecords(): UnitStartedRecord[] {
    if (this.#starting.size === 0) return [];
    const records: UnitStartedRecord[] = [];
    for (const unit of this.#starting) records.push(unit.itemIndex === undefined ? { t: 'start', step: unit.step.id } : { t: 'start', step: unit.step.id, item: unit.itemIndex });
    this.#starting = new Set();
    return records;
  }

  /** Journals a unit's end. @returns the path of its `steps/` view (relative to the run directory), if it has one */
  unitFinished(end: UnitEnd): string | undefined {
    const record: UnitFinishedRecord = { t: 'unit', step: end.stepId, status: end.status, attempts: end.attempts };
    if (end.itemIndex !== undefined) record.item = end.itemIndex;
    if (end.fingerprint !== undefined) record.fingerprint = end.fingerprint;
    if (end.status === 'succeeded') {
      record.output = end.output;
      if (end.writes.length > 0) record.writes = end.writes;
      if (end.artifacts) record.artifacts = end.artifacts;
    } else if (end.error) {
      record.error = end.error;
    }
    this.#store.append(record);
    // The view is rendered from the very record just journaled (only if the run writes it), once that record is durable.
    if (!hasStepView(record)) return undefined;
    const path = stepOutputPath(record.step, record.item);
    return this.#store.writeView(path, () => renderStepView(record)!.content) ? path : undefined;
  }

  /**
   * A unit taken from an earlier run: its record is already in the journal; only its view is written again
   * when it was missing or out of date, and only if the run writes views (a run that writes none, a large one,
   * does not write them all again on resume). @returns the path of its view, when it is intact or written
   */
  unitRestored(stepId: string, itemIndex: number | undefined, result: EarlierResult): string | undefined {
    const path = stepOutputPath(stepId, itemIndex);
    if (!result.rewriteView) return path;
    const content = (): string =>
      renderStepView({
        t: 'unit',
        step: stepId,
        ...(itemIndex !== undefined ? { item: itemIndex } : {}),
        status: 'succeeded',
        attempts: 1,
        fingerprint: result.fingerprint,
        output: result.output,
        ...(result.writes.length > 0 ? { writes: result.writes } : {}),
        ...(result.artifacts ? { artifacts: result.artifacts } : {}),
      })!.content;
    return this.#store.writeView(path, content) ? path : undefined;
  }

  /** A fan-out step completed. @returns the path of its gathered view, when it succeeded */
  fanOutFinished(stepId: string, status: UnitFinishedRecord['status'], fingerprint: string | undefined, output: unknown): string | undefined {
    const record: StepFinishedRecord = { t: 'step', step: stepId, status };
    if (fingerprint !== undefined) record.fingerprint = fingerprint;
    if (status === 'succeeded' && Array.isArray(output)) record.items = output.length;
    this.#store.append(record);
    if (status !== 'succeeded' || fingerprint === undefined) return undefined;
    const path = stepOutputPath(stepId, undefined);
    return this.#store.writeView(path, () => renderFanOutView(stepId, fingerprint, output).content) ? path : undefined;
  }

  /** How the partial record is built (set by the first {@link progress}). */
  #partial: (() => RunRecordFile) | undefined;
  readonly #partialWithFiles = (): RunRecordFile => ({ ...this.#partial!(), stepFiles: this.#store.stepFiles() });

  /** Asks for the partial `run.json` (written at a bounded rate), built by `build` when it is written. */
  progress(build: () => RunRecordFile): void {
    // Called at every step's end: the same function is handed on each time (no closure per call).
    this.#partial = build;
    this.#store.saveRecord(this.#partialWithFiles);
  }

  /** Journals the run's end and closes the store with the final record, to which it adds `stepFiles`. */
  async finish(status: RunStatus, record: RunRecordFile): Promise<void> {
    record.stepFiles = this.#store.stepFiles();
    // A unit that never ended (an agent abandoned after the cancel grace) still shows as started.
    for (const start of this.#startRecords()) this.#store.append(start);
    this.#store.append({ t: 'end', status });
    try {
      await this.#store.close(record);
    } finally {
      // The store outlives the run in its caller's hands: it keeps nothing of the session.
      this.#partial = undefined;
    }
  }
}
