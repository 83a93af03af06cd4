import type { Clock, LlmCallOptions, LlmClient, LlmRequest, LlmResponse, Logger, StagePolicySpec } from '@ucop/core';
import type { LimitWait } from '../limits/shared-limiter.ts';
import type { SharedLimitStore } from '../limits/shared-limit-store.ts';
import type { StageMetricsReport } from './stage-metrics.ts';
import { StageRuntime } from './stage-runtime.ts';
import type { StageDownstream } from './stage-runtime.ts';
import { resolveStagePolicy } from './stage-policy.ts';

/** Options of {@link createStageRouter}. */
export interface StageRouterOptions {
  downstream: StageDownstream;
  /** `stages:` of config/providers.yaml: policies by step id or `<workflow>/<step id>`. */
  stages?: Readonly<Record<string, StagePolicySpec>>;
  store?: SharedLimitStore;
  /** @default true */
  wait?: boolean;
  clock?: Clock;
  logger?: Logger;
  /** Told whenever a call waits for a stage's shared limit. */
  onWait?: (wait: LimitWait) => void;
}

/** An LlmClient applying per-stage policies, with each stage's metrics. */
export interface StageRouter extends LlmClient {
  /** Metrics of every stage that made a model call, by `<workflow>/<step id>`. */
  stageMetrics(): Record<string, StageMetricsReport>;
  /** A stage's runtime, once it made a call (tests, the progress display). */
  stage(key: string): StageRuntime | undefined;
}

/**
 * Puts the stage layer in front of the provider router: each request names its stage (the executor sets
 * `request.stage`), whose policy is the configuration's `stages:` entry overridden by the step's own keys;
 * one StageRuntime per stage applies it and counts the stage's calls. Requests without a stage go straight
 * to the provider router.
 */
export function createStageRouter(options: StageRouterOptions): StageRouter {
  const runtimes = new Map<string, StageRuntime>();
  const runtimeFor = (request: LlmRequest): StageRuntime | undefined => {
    const stage = request.stage;
    if (!stage) return undefined;
    let runtime = runtimes.get(stage.key);
    if (!runtime) {
      const stepId = stage.key.slice(stage.key.indexOf('/') + 1);
      const fromConfig = options.stages?.[stage.key] ?? options.stages?.[stepId];
      runtime = new StageRuntime({
        key: stage.key,
        policy: resolveStagePolicy(stage.key, fromConfig, stage.policy),
        downstream: options.downstream,
        ...(options.store ? { store: options.store } : {}),
        wait: options.wait ?? true,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.onWait ? { onWait: options.onWait } : {}),
      });
      runtimes.set(stage.key, runtime);
    }
    return runtime;
  };
  return {
    generate(request: LlmRequest, signal: AbortSignal, callOptions?: LlmCallOptions): Promise<LlmResponse> {
      const runtime = runtimeFor(request);
      return runtime ? runtime.generate(request, signal, callOptions) : options.downstream.generate(request, signal, callOptions);
    },
    stageMetrics: () => Object.fromEntries([...runtimes].map(([key, runtime]) => [key, runtime.metrics.report()])),
    stage: (key) => runtimes.get(key),
  };
}
