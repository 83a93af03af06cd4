import { createOfflineAdapter, createProviderAdapters, createProviderRouter, selectProvider } from '@ucop/agents';
import type { ProviderRouter, ProviderSelection, ProvidersConfig } from '@ucop/agents';
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
}

/**
 * Builds the provider layer from the providers file: one adapter per usable provider plus the offline
 * writer, the router with its limits, breakers and fallbacks, and the default provider chosen by
 * `selectProvider` (the explicit one, else the first with a key or a live server, else offline).
 */
export async function createLlmSetup(io: Pick<CliIO, 'env' | 'signal'>, project: Pick<ProjectContext, 'providers'>, options: LlmSetupOptions = {}): Promise<LlmSetup> {
  const config: ProvidersConfig = project.providers;
  let selection: ProviderSelection | undefined;
  let built: ProviderRouter | undefined;
  let skipped: { provider: string; reason: string }[] = [];
  let pending: Promise<ProviderRouter> | undefined;
  const fallbackLog = new FallbackLog();

  const build = async (): Promise<ProviderRouter> => {
    selection = await selectProvider({ ...(options.provider !== undefined ? { explicit: options.provider } : {}), config, env: io.env, signal: io.signal });
    const offline = createOfflineAdapter();
    const set = createProviderAdapters(config, { env: io.env, offline });
    skipped = set.skipped;
    // The offline writer is always there, even when the providers file does not list it: it is the last resort.
    const adapters = set.adapters.some((a) => a.offline) ? set.adapters : [...set.adapters, offline];
    built = createProviderRouter({ adapters, config, defaultProvider: selection.provider, logger: fallbackLog });
    return built;
  };
  const router = (): Promise<ProviderRouter> => (pending ??= build());
  if (options.eager || options.provider !== undefined) await router();

  return {
    client: {
      async generate(request: LlmRequest, signal: AbortSignal, callOptions?: LlmCallOptions): Promise<LlmResponse> {
        // callOptions carries the step attempt's span: the router opens its llm.call spans under it.
        return (await router()).generate(request, signal, callOptions);
      },
    },
    selection: () => selection,
    skipped: () => skipped,
    router: () => built,
    fallbacks: () => fallbackLog.fallbacks(),
  };
}
