import type { AgentLookup, CompiledPlan, RunRecord } from '@ucop/core';

/**
 * The narrow view of the engines that `ucop verify`, `ucop bench` and the performance suites drive. Every
 * check takes one of these as a parameter, so that its tests can hand it a broken engine (one that ignores
 * timeouts, lets fail-fast siblings finish, reruns on resume, runs sequentially when asked for parallel)
 * and show that the check fails. `createCoreHarness()` binds it to @ucop/core.
 */

/** Scheduling policy of the parallel engine: critical path first, or level by level (the old systems). */
export type Scheduling = 'critical-path' | 'levels';

/** One run of a compiled plan. */
export interface HarnessRunRequest {
  plan: CompiledPlan;
  engine: 'parallel' | 'sequential';
  /** @default 'critical-path' */
  scheduling?: Scheduling;
  agents: AgentLookup;
  /** Run directory (run.json, steps/). Undefined: nothing is written to disk. */
  outDir?: string;
  inputs?: Record<string, unknown>;
  /** Take finished steps from the run directory instead of running them again. @default false */
  resume?: boolean;
  signal?: AbortSignal;
}

/** What a run produced. */
export interface HarnessRunResult {
  record: RunRecord;
  /** The committed shared state at the end of the run. */
  state: Readonly<Record<string, unknown>>;
}

/** Runs a plan in one of the engines. */
export type EngineRunner = (request: HarnessRunRequest) => Promise<HarnessRunResult>;

/** Compiles a workflow source (YAML or JSON text) against the given agents. */
export type WorkflowCompiler = (source: string, file: string, agents: AgentLookup) => Promise<CompiledPlan>;
