import type { RunEvent, RunStatus } from '@ucop/core';

/** One run handed to an executor. */
export interface RunJob {
  id: string;
  /** The workflow's name in the daemon's workflows directory. */
  workflow: string;
  /** The inputs as {@link WorkflowCatalog.prepare} returned them. */
  inputs: Record<string, unknown>;
  /** The run's own directory (absolute): `run.json`, `steps/` and the journal, as `ucop run -o dir` writes them. */
  dir: string;
}

/** What a pool slot gives the executor for one run. */
export interface RunHooks {
  /** Aborted to cancel the run (a client's cancel, or a drain past its deadline): it must stop and record. */
  signal: AbortSignal;
  /** Aborted when the daemon cannot wait any longer: abandon running steps and write the record at once. */
  urgentSignal: AbortSignal;
  /** Every typed run event, as the CLI progress display gets them. */
  onEvent(event: RunEvent): void;
}

/**
 * Who runs a claimed run. The daemon's default runs it in its own process through the same engine, run store
 * and directory layout as `ucop run` (the CLI wires that one in); an executor that hands steps to other
 * machines (BullMQ workers) plugs in here without the queue, the pool or the API changing.
 * A run that was interrupted is executed again with the same job: the executor resumes it from the record in
 * `job.dir`, so that finished steps are not run again.
 */
/** How an executor's run ended. */
export interface RunOutcome {
  /** The status its record says. */
  status: RunStatus;
  /**
   * Set when the run was interrupted by something outside it (Redis went away under its steps): the pool puts
   * it back in the queue, to resume from its record once the executor is available again, instead of
   * recording `status` as its end. The text says why (logged).
   */
  interrupted?: string;
}

export interface RunExecutor {
  /** Runs (or resumes) the run to its end; resolves with the status its record says. Rejects only when it could not run at all. */
  execute(job: RunJob, hooks: RunHooks): Promise<RunOutcome>;
  /**
   * Called before a submission is queued: throws a UcopError (REDIS_UNAVAILABLE, answered 503) when a new run
   * could not be run now, so that the client learns it at once and nothing is queued.
   */
  admit?(signal: AbortSignal): Promise<void>;
  /**
   * Whether runs can start now (false while Redis is down): the pool claims nothing meanwhile, and claims again
   * when a listener given to {@link onAvailable} is called.
   */
  available?(): boolean;
  /** Registers the pool's listener, called each time the executor becomes available again. */
  onAvailable?(listener: () => void): void;
  /** Readiness of what the executor depends on (providers, Redis), by name. */
  ready?(signal: AbortSignal): Promise<Record<string, boolean>>;
  /** Provider counters and breaker states for /metrics, where the executor has providers. */
  providerMetrics?(): ProviderMetrics | undefined;
}

/** Cumulative provider counters, by provider name. */
export interface ProviderMetrics {
  stats: Record<string, { attempts: number; failures: number; rateLimited: number; retries: number }>;
  /** `closed`, `open` or `half-open` (the breaker's state name), by provider. */
  breakers: Record<string, string>;
}

/** A workflow the daemon can run. */
export interface WorkflowInfo {
  name: string;
  description?: string;
  inputs: Record<string, { type: string; required: boolean; description?: string }>;
}

/**
 * The workflows the daemon offers: clients name one, never a path on the server's disk.
 */
export interface WorkflowCatalog {
  list(signal: AbortSignal): Promise<WorkflowInfo[]>;
  /**
   * Checks a submission before it is queued: the workflow exists and compiles, and the inputs fit its
   * declarations. `assignments` are `key=value` strings parsed by each input's declared type (as `ucop run
   * -i` does); `values` are typed already. Returns the inputs to run with.
   * @throws UcopError FILE_NOT_FOUND for an unknown workflow; INPUT_MISSING / INPUT_INVALID; the workflow's diagnostics
   */
  prepare(workflow: string, inputs: { values: Record<string, unknown>; assignments: string[] }, signal: AbortSignal): Promise<Record<string, unknown>>;
}
