import type { AgentLookup } from '../agents/agent-definition.ts';
import type { LlmClient } from '../agents/llm-client.ts';
import type { Logger } from '../agents/logger.ts';
import type { RunRecord } from '../run/run-record.ts';
import type { RunStore } from '../store/run-store.ts';
import type { Tracer } from '../telemetry/tracer.ts';
import type { Clock } from './clock.ts';
import type { RunEventListener } from './run-events.ts';
import type { StepExecutor } from './step-executor.ts';

export type EngineKind = 'parallel' | 'sequential';

/**
 * How the parallel engine picks among ready steps.
 * - `critical-path`: the step with the longest estimated remaining path to the end first (ties by plan order).
 * - `levels`: the older systems' waves: a level starts only when every step of the previous level finished.
 *   Kept to measure what critical-path scheduling gains.
 * - `fifo`: in the order steps became ready.
 */
export type SchedulingPolicy = 'critical-path' | 'levels' | 'fifo';

export interface ResumeOptions {
  /** Rerun this step and everything downstream of it even where the earlier results are intact. */
  fromStep?: string;
}

export interface RunOptions {
  /** Workflow inputs; checked against the plan's `inputs:` (defaults applied). */
  inputs: Record<string, unknown>;
  agents: AgentLookup;
  /** @default 'parallel' when `plan.settings.parallel`, else 'sequential' */
  engine?: EngineKind;
  /** @default 'critical-path' */
  scheduling?: SchedulingPolicy;
  /** @default plan.settings.maxParallel */
  maxParallel?: number;
  /** @default plan.settings.failFast */
  failFast?: boolean;
  /** Who runs step attempts. @default a LocalExecutor calling the agents in this process */
  executor?: StepExecutor;
  /** Where `run.json` and `steps/` are written; also the root of the agents' artifact writer. No files without it. */
  outDir?: string;
  /**
   * The run directory's store, already opened (and locked) by the caller, e.g. a CLI that takes the lock
   * before anything else touches the directory. runWorkflow closes it. @default opened from `outDir`
   */
  store?: RunStore;
  /** Aborting it cancels the run (status `cancelled`). */
  signal?: AbortSignal;
  /**
   * Aborting it (after `signal`) ends the cancel grace at once: attempts still running are abandoned and the
   * record is written without waiting for them (the CLI's second Ctrl-C).
   */
  urgentSignal?: AbortSignal;
  /**
   * Secret values (API keys, variables the configuration marks secret): masked wherever they appear in what
   * agents return, throw or log, so that no record, step file, event, log line or span carries them.
   * Registered process-wide (see registerSecret). Values under 6 characters are ignored.
   */
  secrets?: readonly string[];
  /** @default systemClock */
  clock?: Clock;
  /** @default noopTracer */
  tracer?: Tracer;
  onEvent?: RunEventListener;
  /** The text-model client handed to agents. @default a client that refuses every call */
  llm?: LlmClient;
  /**
   * Per-stage model-call metrics (the provider layer's), read when the run ends and kept in the record as
   * `stages`. @default none
   */
  stageMetrics?: () => Record<string, unknown>;
  /** Environment the workflow may read (only variables declared under `env:`). @default process.env */
  env?: Record<string, string | undefined>;
  /** @default a random UUID */
  runId?: string;
  /** Reuse intact results of the earlier run recorded in `outDir` (see run/resume.ts). Needs `outDir`. */
  resume?: ResumeOptions | boolean;
  /** @default a logger that drops everything */
  logger?: Logger;
  /** Jitter source for retry backoff. @default Math.random */
  random?: () => number;
}

export interface RunResult {
  record: RunRecord;
  /** The workflow's `outputs:`, evaluated at the end of the run. */
  outputs: Record<string, unknown>;
  /** The committed shared state at the end of the run. */
  state: Readonly<Record<string, unknown>>;
  /** Whether `run.json` was written at the end (false without `outDir`, or when writing it failed). */
  recordWritten: boolean;
}
