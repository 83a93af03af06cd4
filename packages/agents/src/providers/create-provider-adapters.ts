import { isUcopError } from '@ucop/core';
import type { Logger } from '@ucop/core';
import { createAiSdkAdapter } from './ai-sdk-adapter.ts';
import type { ProviderAdapter } from './provider-adapter.ts';
import type { ProvidersConfig } from './provider-config.ts';

/** Options of {@link createProviderAdapters}. */
export interface CreateProviderAdaptersOptions {
  /** Where key variables are looked up. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The offline writer, used for every provider of kind `offline`. */
  offline?: ProviderAdapter;
  logger?: Logger;
  /** Replaces global fetch for the AI SDK adapters (tests, proxies). */
  fetch?: typeof fetch;
}

/** The adapters that could be built, and the providers left out with the reason. */
export interface ProviderAdapterSet {
  adapters: ProviderAdapter[];
  skipped: { provider: string; reason: string }[];
}

/**
 * Builds one adapter per configured provider: AI SDK adapters for online kinds, the given offline writer for
 * `offline`. A provider whose key variable is not set is skipped (with the reason), not an error: it may
 * only be a fallback, and selection never picks it.
 */
export function createProviderAdapters(config: ProvidersConfig, options: CreateProviderAdaptersOptions = {}): ProviderAdapterSet {
  const adapters: ProviderAdapter[] = [];
  const skipped: ProviderAdapterSet['skipped'] = [];
  for (const provider of config.providers) {
    if (provider.kind === 'offline') {
      if (!options.offline) skipped.push({ provider: provider.name, reason: 'no offline writer was given' });
      else adapters.push(provider.name === options.offline.name ? options.offline : renamed(options.offline, provider.name));
      continue;
    }
    try {
      adapters.push(
        createAiSdkAdapter(provider, {
          ...(options.env === undefined ? {} : { env: options.env }),
          ...(options.logger === undefined ? {} : { logger: options.logger }),
          ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        }),
      );
    } catch (error) {
      if (!isUcopError(error) || error.code !== 'CONFIG_INVALID') throw error;
      skipped.push({ provider: provider.name, reason: error.message });
    }
  }
  return { adapters, skipped };
}

function renamed(adapter: ProviderAdapter, name: string): ProviderAdapter {
  return { name, model: adapter.model, offline: adapter.offline, call: (request, signal) => adapter.call(request, signal) };
}
