/**
 * Per-stage provider policies as written on a step (`rate_limit:`, `breaker:`, `providers:`, `batch:`,
 * `workers:`) or under `stages:` in config/providers.yaml. Plain data with YAML spellings: the workflow
 * schema validates it, the compiler copies it onto the plan step and the step task, and the provider layer in
 * @ucop/agents (packages/agents/src/llm/stage-policy.ts) resolves durations and applies it to every call
 * the step's attempts make.
 */

/** A trailing window of requests or tokens: `{ requests: 100, per: 1h }`. */
export interface StageBudgetSpec {
  requests?: number;
  tokens?: number;
  /** Window length as a duration (`30s`, `1h`, `1d`). */
  per: string;
  /** `fail`: refuse at once when full (a budget); `wait`: wait for room. @default 'wait' */
  on_full?: 'wait' | 'fail';
}

export interface StageRateLimitSpec {
  /** Requests per `window` (a minute by default). */
  rpm?: number;
  /** Requests per day; fails fast when used up. */
  rpd?: number;
  /** Tokens per `window`. */
  tpm?: number;
  /** Calls of this stage in flight at once, across processes sharing the limit store. */
  concurrency?: number;
  /** Window of `rpm` and `tpm`. @default 1m */
  window?: string;
  /** Any other windows. */
  budgets?: StageBudgetSpec[];
}

export interface StageBreakerSpec {
  /** Consecutive failures that open the circuit. */
  failure_threshold?: number;
  /** How long it stays open before one probe. */
  half_open_after?: string;
}

export type ProviderStrategyName = 'round_robin' | 'fallback' | 'least_loaded';

export interface StageProvidersSpec {
  use: string[];
  /** @default 'fallback' */
  strategy?: ProviderStrategyName;
}

export interface StageBatchSpec {
  /** Requests coalesced into one call. */
  size: number;
  /** Longest a request waits for companions. @default 200ms */
  max_wait?: string;
}

export interface StageWorkersSpec {
  min: number;
  max: number;
  /** Shrink when the error rate over the last interval is above this. @default 0.2 */
  shrink_error_rate?: number;
  /** Shrink when the p95 latency over the last interval is above this. @default 30s */
  shrink_latency?: string;
  /** Grow when the error rate is below this ... @default 0.05 */
  grow_error_rate?: number;
  /** ... and the p95 latency below this. @default 5s */
  grow_latency?: string;
  /** @default 0.25 */
  shrink_by?: number;
  /** @default 0.33 */
  grow_by?: number;
  /** Calls observed between two decisions. @default 10 */
  sample?: number;
}

/** Every per-stage policy; each is optional. */
export interface StagePolicySpec {
  rate_limit?: StageRateLimitSpec;
  breaker?: StageBreakerSpec;
  providers?: string[] | StageProvidersSpec;
  batch?: StageBatchSpec;
  workers?: StageWorkersSpec;
}

/** The step a model call comes from, with its policy: set by the executor on every request of a step. */
export interface LlmStage {
  /** `<workflow>/<step id>`: the key of the stage's shared limits and breaker. */
  key: string;
  /** The step's own policy (it wins over a `stages:` entry of the configuration). */
  policy?: StagePolicySpec;
  /** The fan-out item the call is for, when the step has `for_each`. */
  itemIndex?: number;
}

/** The policy keys of a step, in the order the documentation lists them. */
export const STAGE_POLICY_KEYS = ['rate_limit', 'breaker', 'providers', 'batch', 'workers'] as const;

/** The policy a step spec declares, or undefined when it declares none. */
export function stagePolicyOf(spec: Partial<Record<(typeof STAGE_POLICY_KEYS)[number], unknown>>): StagePolicySpec | undefined {
  let policy: Record<string, unknown> | undefined;
  for (const key of STAGE_POLICY_KEYS) if (spec[key] !== undefined) (policy ??= {})[key] = spec[key];
  return policy as StagePolicySpec | undefined;
}
