import type { StateWrite, StepTask, StepUsage } from '@ucop/core';
import type { WireError } from './wire-error.ts';

/** What the coordinator enqueues for one engine attempt: the task and the state it may read. */
export interface StepJobData {
  /** Protocol version, so that a worker of another version refuses instead of misreading. */
  v: 1;
  task: StepTask;
  /** The committed state at the attempt's start (the same snapshot a local agent reads). */
  state: Record<string, unknown>;
  /**
   * The run directory on the coordinator (absolute). Agents see it as their artifact root, so the paths
   * they return are the ones the coordinator will write; the bytes go to a scratch directory meanwhile.
   */
  artifactRoot?: string;
}

/** A file the agent wrote on the worker: sent back and written by the coordinator under the run directory. */
export interface WireArtifact {
  path: string;
  sha256: string;
  /** Base64. */
  content: string;
}

export type WireResult =
  | { ok: true; output: unknown; writes: StateWrite[]; usage?: StepUsage; artifacts?: WireArtifact[]; worker: string; token: number }
  | { ok: false; error: WireError; worker: string; token: number };

export const PROTOCOL_VERSION = 1;

/** @default the result limit: 16 MiB of JSON (output, writes and base64 artifacts together). */
export const DEFAULT_MAX_RESULT_BYTES = 16 * 1024 * 1024;
