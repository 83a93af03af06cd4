import { dirname, resolve } from 'node:path';
import { createOfflineAdapter, createProviderAdapters, createProviderRouter, createStageRouter, lazyLimitStore, openSqliteLimitStore, selectProvider } from '@ucop/agents';
import type { LimitWait, ProviderRouter, ProviderSelection, ProvidersConfig, SharedLimitStore, StageMetricsReport, StageRouter } from '@ucop/agents';
import type { LlmCallOptions, LlmClient, LlmRequest, LlmResponse } from '@ucop/core';
import type { CliIO } from './cli-io.ts';
import type { ProjectContext } from './project-context.ts';
import { FallbackLog } from './provider-fallbacks.ts';
import type { ProviderFallback } from './provider-fallbacks.ts';

/** The text-model client of a run, and what the end-of-run report says about it. */
export interface LlmSetup {
  client: LlmClient;
  /** The provider chosen for requests that name none, once chosen (on the first call, or up front). */
  selection(): ProviderSelection | undefined;
  /** Providers left out because their key is not set, with the reason. */
  skipped(): { provider: string; reason: string }[];
  /** The router, once built; undefined when no step called a model. */
  router(): ProviderRouter | undefined;
  /** Calls a provider did not answer and passed to the next one, per provider (empty when none). */
  fallbacks(): ProviderFallback[];
  /** Per-stage metrics of the model calls so far, by `<workflow>/<step id>` (for run.json). */
  stageMetrics(): Record<string, StageMetricsReport>;
  /** Where shared limits are kept (absent when `limits_store.enabled: false`). */
  readonly limitStorePath: string | undefined;
  /** Closes the limit store, if a call opened it. */
  close(): Promise<void>;
}

export interface LlmSetupOptions {
  /** `--provider`: must be configured and have its key; checked before the run starts. */
  provider?: string;
  /**
   * Choose the provider before the run (probing local servers) rather than on the first model call.
   * `ucop generate` does, to say up front who writes; `ucop run` does not, so that a workflow without text
   * steps never probes anything. @default false
   */
  eager?: boolean;
  /** false (`--no-wait`): a call that would wait for a limit fails at once. @default the providers file's `limits_store.wait` */
  wait?: boolean;
  /** Told whenever a call waits for a shared limit (the progress display says so). */
  onLimitWait?: (wait: LimitWait) => void;
}

/** Where the limits of this project are kept: `limits_store.dir` (relative to the providers file), else `.ucop/`. */
export function limitStorePath(config: ProvidersConfig, providersPath: string | undefined, cwd: string): string | undefined {
  const settings = config.limitsStore;
  if (settings?.enabled === false) return undefined;
  const dir = settings?.dir === undefined ? resolve(cwd, '.ucop') : resolve(providersPath === undefined ? cwd : dirname(providersPath), settings.dir);
  return resolve(dir, 'limits.sqlite');
}

/**
 * Builds the provider layer from the providers file: one adapter per usable provider plus the offline
 * writer, the router with its limits, breakers and fallbacks, and the default provider chosen by
 * `selectProvider` (the explicit one, else the first with a key or a live server, else offline).
 */
export async function createLlmSetup(io: Pick<CliIO, 'env' | 'signal'> & { cwd?: string }, project: Pick<ProjectContext, 'providers'> & { providersPath?: string | undefined }, options: LlmSetupOptions = {}): Promise<LlmSetup> {
  const config: ProvidersConfig = project.providers;
  let selection: ProviderSelection | undefined;
  let built: ProviderRouter | undefined;
  let stages: StageRouter | undefined;
  let skipped: { provider: string; reason: string }[] = [];
  let pending: Promise<ProviderRouter> | undefined;
  const fallbackLog = new FallbackLog();
  const storePath = limitStorePath(config, project.providersPath, io.cwd ?? process.cwd());
  // Opened on the first limited call: runs without limits never create the file.
  const store: SharedLimitStore | undefined = storePath === undefined ? undefined : lazyLimitStore(() => openSqliteLimitStore(storePath));
  const wait = options.wait ?? config.limitsStore?.wait ?? true;

  const build = async (): Promise<ProviderRouter> => {
    selection = await selectProvider({ ...(options.provider !== undefined ? { explicit: options.provider } : {}), config, env: io.env, signal: io.signal });
    const offline = createOfflineAdapter();
    const set = createProviderAdapters(config, { env: io.env, offline });
    skipped = set.skipped;
    // The offline writer is always there, even when the providers file does not list it: it is the last resort.
    const adapters = set.adapters.some((a) => a.offline) ? set.adapters : [...set.adapters, offline];
    built = createProviderRouter({
      adapters,
      config,
      defaultProvider: selection.provider,
      logger: fallbackLog,
      ...(store ? { limitStore: store } : {}),
      limitWait: wait,
      ...(config.limitsStore ? { leaseTtlMs: config.limitsStore.leaseTtlMs } : {}),
      ...(options.onLimitWait ? { onLimitWait: options.onLimitWait } : {}),
    });
    stages = createStageRouter({
      downstream: built,
      ...(config.stages ? { stages: config.stages } : {}),
      ...(store ? { store } : {}),
      wait,
      logger: fallbackLog,
      ...(options.onLimitWait ? { onWait: options.onLimitWait } : {}),
    });
    return built;
  };
  const router = (): Promise<ProviderRouter> => (pending ??= build());
  if (options.eager || options.provider !== undefined) await router();

  return {
    client: {
      async generate(request: LlmRequest, signal: AbortSignal, callOptions?: LlmCallOptions): Promise<LlmResponse> {
        // callOptions carries the step attempt's span: the router opens its llm.call spans under it.
        await router();
        return stages!.generate(request, signal, callOptions);
      },
    },
    stageMetrics: () => stages?.stageMetrics() ?? {},
    limitStorePath: storePath,
    close: async () => {
      await store?.close();
    },
    selection: () => selection,
    skipped: () => skipped,
    router: () => built,
    fallbacks: () => fallbackLog.fallbacks(),
  };
}
