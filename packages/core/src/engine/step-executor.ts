import type { StagePolicySpec } from '../agents/stage-policy.ts';
import type { StateWrite } from '../state/state-view.ts';
import type { SpanHandle } from '../telemetry/tracer.ts';
import type { StepUsage } from '../run/run-record.ts';

/**
 * The seam between the scheduler and whatever runs a step attempt. The in-process executor calls the agent
 * directly; later a daemon pool or a BullMQ worker implements the same interface, so the scheduler does not
 * change. Everything in a task is plain data (it can cross a process boundary).
 */
export interface StepTask {
  runId: string;
  workflow: string;
  stepId: string;
  itemIndex?: number;
  attempt: number;
  agent: string;
  /** The step's `with:` after expressions were evaluated. */
  input: Record<string, unknown>;
  /** State keys this step may write. */
  writes: string[];
  timeoutMs: number;
  provider?: string;
  fallback: string[];
  /** The step's per-stage provider policies; the executor hands them to the LLM client with every call. */
  policy?: StagePolicySpec;
}

export interface StepAttemptSuccess {
  ok: true;
  output: unknown;
  /** Writes staged during the attempt, committed by the engine if the attempt is still current. */
  writes: StateWrite[];
  usage?: StepUsage;
  /** Files the attempt wrote through its artifact writer; resume checks they are still intact. */
  artifacts?: ArtifactRecord[];
}

/** A file an attempt wrote under the run's output directory, with the hash of what it wrote. */
export interface ArtifactRecord {
  /** Relative to the output directory, with `/` separators. */
  path: string;
  sha256: string;
}

export interface StepAttemptFailure {
  ok: false;
  error: unknown;
}

export type StepAttemptResult = StepAttemptSuccess | StepAttemptFailure;

export interface StepExecutionContext {
  /** Aborts on step timeout, fail-fast or run deadline. */
  signal: AbortSignal;
  span: SpanHandle;
  /** A consistent snapshot of committed state at the attempt's start, read-through to the store. */
  readState(): Readonly<Record<string, unknown>>;
}

export interface StepExecutor {
  execute(task: StepTask, context: StepExecutionContext): Promise<StepAttemptResult>;
}
