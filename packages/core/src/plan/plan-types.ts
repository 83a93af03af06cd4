import type { Template, ExprNode } from '../expr/ast.ts';
import type { StagePolicySpec } from '../agents/stage-policy.ts';
import type { InputSpec, EnvSpec, StateKeySpec, SourceMap } from '../dsl/workflow-document.ts';

/** Retry settings with durations resolved to ms. */
export interface RetryPolicySettings {
  /** Total attempts including the first (1 = no retry). */
  attempts: number;
  backoff: 'exponential' | 'fixed';
  delayMs: number;
  maxDelayMs: number;
}

/** Run-wide engine settings after every configuration layer was applied (see config/settings.ts). */
export interface EngineSettings {
  parallel: boolean;
  maxParallel: number;
  failFast: boolean;
  /** Whole-run deadline. */
  timeoutMs: number;
  /** Default per-attempt timeout. */
  stepTimeoutMs: number;
  retry: RetryPolicySettings;
  maxSteps: number;
  noProgressTimeoutMs: number;
  cancelGraceMs: number;
  concurrencyGroups: Record<string, number>;
  provider?: string;
  fallback: string[];
}

/**
 * A group's inner pipeline (inline `steps:` or a `uses:` file), compiled like a workflow: inner ids,
 * dependencies among inner steps only, its own order. Each instance of the group runs a copy of it.
 */
export interface PlanGroup {
  /** Inner steps by inner id; their `dependencies`/`dependents` name inner steps. */
  steps: Record<string, PlanStep>;
  /** Deterministic topological order of the inner steps. */
  order: string[];
  outputs: Record<string, Template>;
  /** Steps of enclosing levels that inner expressions read: copied into each instance's scope. */
  outerRefs: string[];
  repeat?: { until: { source: string; expr: ExprNode }; max: number; onMax: 'fail' | 'continue' };
  /** A `uses:` group: the called file and its input declarations (`with:` gives the values). */
  uses?: { file: string; inputs: Record<string, InputSpec> };
  /** Longest path through one instance (one iteration) by estimates. */
  instanceMs: number;
  /** Sum of the estimates of one instance's steps (one iteration), inner fan-outs weighed by their items. */
  instanceWorkMs: number;
}

/** A follow-up template's rule: tasks are created from the output of every instance of `from`. */
export interface PlanFollowUp {
  /** The creating step as a path of ids: `['chapter', 'check']`. */
  from: string[];
  each: { source: string; expr: ExprNode };
  target?: Template;
  maxOpen: number;
}

/** One step of the compiled plan: everything an engine needs, nothing left to parse. */
export interface PlanStep {
  id: string;
  /** The agent; for a group, `group`, and for a `uses:` step, `uses:<file>`. */
  agent: string;
  /** A group (inline `steps:` or `uses:`): what each instance runs. */
  body?: PlanGroup;
  /** A follow-up template: runs only as tasks created at run time. */
  followUp?: PlanFollowUp;
  /** Within a group instance: the position path that orders writers and the sequential engine. */
  position?: readonly number[];
  /** Within a group instance: the plan order of the top-level step it belongs to (orders state writers). */
  writerOrder?: number;
  /** All dependencies: `needs` plus every step referenced in an expression. Sorted. */
  dependencies: string[];
  /** Steps that depend on this one. Sorted. */
  dependents: string[];
  /** Index of the parallel group (generation) the step belongs to. */
  group: number;
  /** Position in the deterministic topological order (the sequential engine's order). */
  order: number;
  with: Template;
  forEach?: { source: string; expr: ExprNode };
  condition?: { source: string; expr: ExprNode };
  writes: string[];
  timeoutMs: number;
  retry: RetryPolicySettings;
  /** Cap on concurrently running fan-out items of this step. */
  maxParallel?: number;
  concurrencyGroup?: { name: string; limit: number };
  continueOnError: boolean;
  estimateMs: number;
  /**
   * For a fan-out step: the expected number of items (`expected_items:`, else a literal list's length, else the
   * length of the default of the input the list comes from); absent when unknown (estimates then count 1).
   */
  expectedItems?: number;
  /** For a repeat group: expected iterations (`expect.iterations`); for a template: expected tasks. */
  expectedIterations?: number;
  /** Estimated time from this step's start to the end of the workflow along its longest path. */
  remainingMs: number;
  provider?: string;
  fallback: string[];
  /** The step's per-stage provider policies, as written; absent when it declares none. */
  policy?: StagePolicySpec;
}

export interface CompiledPlan {
  workflow: string;
  description?: string;
  file: string;
  sourceMap?: SourceMap;
  settings: EngineSettings;
  inputs: Record<string, InputSpec>;
  env: Record<string, EnvSpec>;
  state: Record<string, StateKeySpec>;
  steps: Record<string, PlanStep>;
  /** Deterministic topological order (ties broken by file order). */
  order: string[];
  /** Parallel groups: the topological generations of the step graph (see plan-graph.ts), in order. */
  groups: string[][];
  /** The longest path by estimated duration. */
  criticalPath: { steps: string[]; ms: number };
  totalWorkMs: number;
  outputs: Record<string, Template>;
}

/** Plan figures for a given number of workers. */
export interface PlanEstimate {
  workers: number;
  /** Longest path by estimates, a fan-out step weighing ceil(items / its slots) × its estimate. */
  criticalPathMs: number;
  /** The steps on that path. */
  criticalPath: string[];
  /** Every step's estimate × its expected items. */
  totalWorkMs: number;
  /** Fan-out steps whose item count is unknown at plan time (counted as one item). */
  unknownItemCounts: string[];
  /** max(critical path, total work / workers). */
  lowerBoundMs: number;
  /** totalWork / lowerBound: the best speedup over the sequential engine. */
  estimatedSpeedup: number;
}
