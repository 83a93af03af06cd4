import type { RunStatus, StepStatus, EventError } from '../engine/run-events.ts';
import type { StateWrite } from '../state/state-view.ts';

/** A file a unit wrote under the output directory, with the sha256 of its content. */
export interface ArtifactHash {
  path: string;
  sha256: string;
}

/** A run began in this directory (`resume`: it reuses what earlier runs recorded before it). */
export interface RunStartedRecord {
  t: 'run';
  runId: string;
  workflow: string;
  startedAt: string;
  resume: boolean;
}

/** A unit (a step, or one fan-out item) began its first attempt. */
export interface UnitStartedRecord {
  t: 'start';
  step: string;
  item?: number;
}

/**
 * A unit reached its final status. For a success it carries everything resume needs to take the result
 * without running the unit again: the output, the state writes that were committed with it, the artifacts
 * it wrote (with their hashes) and the fingerprint it was computed under.
 */
export interface UnitFinishedRecord {
  t: 'unit';
  step: string;
  item?: number;
  status: Exclude<StepStatus, 'pending' | 'running'>;
  attempts: number;
  fingerprint?: string;
  output?: unknown;
  writes?: StateWrite[];
  artifacts?: ArtifactHash[];
  error?: EventError;
}

/** A fan-out step completed (its items' records came before). */
export interface StepFinishedRecord {
  t: 'step';
  step: string;
  status: Exclude<StepStatus, 'pending' | 'running'>;
  fingerprint?: string;
  /** How many items it had, when it succeeded (its gathered output is theirs, in order: `ucop outputs` rebuilds it). */
  items?: number;
}

/** The run ended with this status. */
export interface RunFinishedRecord {
  t: 'end';
  status: RunStatus;
}

/** One entry of a run directory's journal (`journal.ucop`), in the order things happened. */
export type JournalRecord = RunStartedRecord | UnitStartedRecord | UnitFinishedRecord | StepFinishedRecord | RunFinishedRecord;
