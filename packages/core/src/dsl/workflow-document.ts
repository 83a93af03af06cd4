/**
 * The validated workflow document: what the loader hands to the compiler after the YAML has been parsed with
 * limits, checked against `schema/workflow.schema.json` and by the semantic checks. Keys keep their YAML
 * spelling (snake_case) so that this type mirrors the reference in docs/workflow-reference.md.
 * Nothing downstream of the compiler reads this type; the engines read the compiled plan.
 */

import type { StageBatchSpec, StageBreakerSpec, StageProvidersSpec, StageRateLimitSpec, StageWorkersSpec } from '../agents/stage-policy.ts';

/** A JSON Schema object (draft 2020-12), used for inputs and agent contracts. */
export type JsonSchema = Record<string, unknown>;

/** A duration as written in YAML: `250ms`, `30s`, `2m`, `1h` (see dsl/duration.ts). */
export type DurationString = string;

export interface InputSpec {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  description?: string;
  required?: boolean;
  default?: unknown;
  items?: JsonSchema;
  enum?: unknown[];
}

/** An environment variable the workflow may read as `env.NAME`. Undeclared variables are invisible. */
export interface EnvSpec {
  description?: string;
  required?: boolean;
  default?: string;
}

export type ReducerName = 'append' | 'merge' | 'replace' | 'sum' | 'union';

export interface StateKeySpec {
  reducer: ReducerName;
  /** For list reducers (`append`, `union`): the most items the list may hold. */
  max?: number;
  description?: string;
  initial?: unknown;
  /**
   * For `replace` keys: writers that may run at the same time (parallel steps, the items of a fan-out) are
   * allowed, and the write of the last writer in plan order (within a fan-out, the last item) is kept.
   * @default false
   */
  last_write_wins?: boolean;
}

export interface RetrySpec {
  /** Total attempts, including the first. */
  attempts?: number;
  backoff?: 'exponential' | 'fixed';
  delay?: DurationString;
  max_delay?: DurationString;
}

export interface ConcurrencySpec {
  group: string;
  limit?: number;
}

export interface WorkflowConfigSpec {
  parallel?: boolean;
  max_parallel?: number;
  fail_fast?: boolean;
  timeout?: DurationString;
  step_timeout?: DurationString;
  retry?: RetrySpec;
  /** Guard: most steps (fan-out items included) one run may execute. */
  max_steps?: number;
  /** Guard: fail when nothing finished for this long while steps are running. */
  no_progress_timeout?: DurationString;
  /** How long a timed-out or cancelled agent may take to return before it is abandoned. */
  cancel_grace?: DurationString;
  /** Named concurrency groups with their limits, shared by the steps that name them. */
  concurrency?: Record<string, { limit: number }>;
  provider?: string;
  fallback?: string[];
}

/** A loop: a group's steps run again until `until` holds, at most `max` times. */
export interface RepeatSpec {
  until: string | boolean;
  /** Required (LOOP_UNBOUNDED without it). */
  max?: number;
  /** @default 'fail' */
  on_max?: 'fail' | 'continue';
}

/** A template step: tasks are created at run time from the output of `from`. */
export interface FollowUpSpec {
  /** A top-level step id, or an inner step as `group.inner` (every instance of it creates tasks). */
  from: string;
  /** A list read from the creating instance (`output`, `item`, `index`): one task per element. */
  each: string;
  /** The stable id of the instance each task also waits for (a template: `chapter[${{ item.chapter }}].edit`). */
  target?: string;
  /** @default 100 */
  max_open?: number;
}

/** Expected counts, for plans. */
export interface ExpectSpec {
  items?: number;
  iterations?: number;
  follow_ups?: number;
}

export interface StepSpec {
  /** '' for a group (`steps:`) or a sub-workflow (`uses:`). */
  agent: string;
  /** A group: its inner steps, by inner id, in file order. */
  steps?: Record<string, StepSpec>;
  /** A group's outputs: name → template. */
  outputs?: Record<string, string>;
  /** A sub-workflow: a workflow file relative to this one. */
  uses?: string;
  repeat?: RepeatSpec;
  follow_up?: FollowUpSpec;
  expect?: ExpectSpec;
  description?: string;
  needs?: string[];
  with?: Record<string, unknown>;
  writes?: string[];
  /** An expression that yields a list (`${{ steps.outline.output.sections }}`), or a literal list of scalars. */
  for_each?: string | (string | number | boolean | null)[];
  max_parallel?: number;
  /** One expression, with or without `${{ }}`, or a boolean. */
  if?: string | boolean;
  timeout?: DurationString;
  retry?: RetrySpec;
  continue_on_error?: boolean;
  concurrency?: ConcurrencySpec | string;
  estimate?: DurationString;
  /** How many items a `for_each` step is expected to fan out to, for plans and estimates. */
  expected_items?: number;
  provider?: string;
  fallback?: string[];
  /** Per-stage provider policies (see agents/stage-policy.ts). */
  rate_limit?: StageRateLimitSpec;
  breaker?: StageBreakerSpec;
  providers?: string[] | StageProvidersSpec;
  batch?: StageBatchSpec;
  workers?: StageWorkersSpec;
}

export interface WorkflowDocument {
  version: 1;
  name: string;
  description?: string;
  inputs: Record<string, InputSpec>;
  env: Record<string, EnvSpec>;
  config: WorkflowConfigSpec;
  state: Record<string, StateKeySpec>;
  /** In file order. */
  steps: Record<string, StepSpec>;
  outputs: Record<string, string>;
  /**
   * Set on a group's inner level only (see dsl/group-level.ts): the group's `repeat.until`, parsed in the
   * scope of the inner steps.
   */
  repeatUntil?: string | boolean;
}

/** A path into the YAML document: keys and array indexes, e.g. ['steps', 'outline', 'needs', 0]. */
export type DocPath = readonly (string | number)[];

/** Maps document paths to 1-based line/column in the source file. */
export interface SourceMap {
  readonly file: string;
  /** The position of the value at `path`; falls back to the nearest ancestor that has one. */
  locate(path: DocPath): { line: number; col: number };
  /** The position of the key itself (for unknown-key errors); falls back to `locate`. */
  locateKey(path: DocPath): { line: number; col: number };
  /**
   * The position of the character at `offset` inside the string at `path` (an expression inside a longer
   * string), when the source text maps one to one onto the value; otherwise the string's position.
   */
  locateInValue?(path: DocPath, offset: number): { line: number; col: number };
}

/** A loaded, validated workflow with where it came from. */
export interface LoadedWorkflow {
  file: string;
  document: WorkflowDocument;
  sourceMap: SourceMap;
}
