import type { RunStatus, StepStatus, EventError } from '../engine/run-events.ts';

/**
 * `<dir>/run.json`, documented by `schema/run-record.schema.json`. Times are ms from the run's start.
 */
export interface StepRecord {
  id: string;
  itemIndex?: number;
  agent: string;
  status: StepStatus;
  attempts: number;
  startMs?: number;
  endMs?: number;
  /** ms between ready and started (slots, groups, rate limits). */
  queueWaitMs?: number;
  /** Why a step was skipped or cancelled. */
  reason?: string;
  error?: EventError;
  /** Path of the output file under `<dir>/steps/`, relative to `<dir>`; absent when the run did not write it (see `stepFiles`). */
  output?: string;
  /** Set when resume took the result of an earlier run instead of running it. */
  resumed?: boolean;
  fingerprint?: string;
  usage?: StepUsage;
  /** ms spent in backoff sleeps between attempts (waiting, not work); absent when the step never retried. */
  backoffMs?: number;
  /** Every attempt's span, when there was more than one. */
  attemptLog?: AttemptSpan[];
}

/** One attempt of a retried step or item. */
export interface AttemptSpan {
  startMs: number;
  endMs: number;
  status: 'succeeded' | 'failed' | 'timed_out' | 'cancelled';
  error?: EventError;
  /** ms of backoff waited after this attempt before the next one. */
  backoffMs?: number;
}

/** Calls that one provider failed with one error code and passed on to another, counted. */
export interface ProviderFallbackCount {
  /** The provider that failed. */
  from: string;
  /** The provider the calls went to next. */
  to: string;
  /** The error code it failed with. */
  code: string;
  count: number;
}

/** The text-model use of a step or fan-out item. */
export interface StepUsage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Answered calls. */
  calls: number;
  /** Providers that answered, in order of first use. */
  providers: string[];
  /** Providers that failed calls and passed them on (who failed and why); absent when none did. */
  fallbacks?: ProviderFallbackCount[];
  /** ms the step's calls spent waiting on rate limits (waiting, not work); absent when none. */
  rateLimitWaitMs?: number;
}

export interface RunMetrics {
  /** Working time of every executed step (fan-out items included): spans less backoff and rate-limit waits. */
  sumStepMs: number;
  /** sumStepMs / wallMs: against running the same work one step after another, with no waiting. */
  speedup: number;
  /** The longest dependency chain by actual durations. */
  criticalPath: { steps: string[]; ms: number };
  /** max(critical path, sum / max_parallel). */
  lowerBoundMs: number;
  /** lowerBoundMs / wallMs (1 = as fast as the graph allows). */
  efficiency: number;
  /** Waiting, not work, summed over the executed units (absent in records written before it was kept). */
  waits?: RunWaits;
}

/** Time units spent waiting, in ms summed over units (they overlap in wall time). */
export interface RunWaits {
  /** Ready but not started: no free slot, a full concurrency group, the step's own max_parallel. */
  queueMs: number;
  /** Inside a step: waiting on a provider's rate limit (permits, Retry-After). */
  rateLimitMs: number;
  /** Between attempts: backoff before a retry. */
  backoffMs: number;
}

export interface RunRecord {
  schemaVersion: 1;
  runId: string;
  workflow: string;
  file: string;
  engine: 'parallel' | 'sequential';
  status: RunStatus;
  startedAt: string;
  wallMs: number;
  maxParallel: number;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  steps: StepRecord[];
  errors: EventError[];
  metrics: RunMetrics;
  usage?: {
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
    calls: number;
    byProvider: Record<string, { calls: number; inputTokens: number; outputTokens: number; costUsd: number }>;
    /** Calls providers failed and passed on, summed over the steps (who failed and why); absent when none. */
    fallbacks?: ProviderFallbackCount[];
  };
  /**
   * Per-stage model-call metrics by `<workflow>/<step id>` (requests, errors, latency, workers over time,
   * rate-limit waits, breaker transitions, providers that answered); see @ucop/agents StageMetricsReport.
   * Absent when no step called a model through the provider layer.
   */
  stages?: Record<string, unknown>;
  /** Which `steps/` files the run wrote (absent in records written before the setting existed). */
  stepFiles?: StepFilesSummary;
}

/** What a run did with its `steps/` files (see the step files setting: `--step-files`). */
export interface StepFilesSummary {
  mode: 'all' | 'auto' | 'none';
  /** In `auto`, the most units a run may have and still write their files. */
  threshold: number;
  /** Unit files this run wrote (a resumed unit whose file was intact is not written again). */
  written: number;
  /** Unit files this run did not write: `ucop outputs <dir>` reads them from the journal, `--write` writes them. */
  skipped: number;
}

/**
 * What `run.json` holds while the run is still going: it is rewritten after steps finish, so that a killed
 * process leaves the record of everything finished so far (resume reads it).
 */
export type PartialRunRecord = Omit<RunRecord, 'status'> & { status: 'running' };

/** The content of `run.json`: a finished run's record, or a partial one. */
export type RunRecordFile = RunRecord | PartialRunRecord;
