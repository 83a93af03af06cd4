import { UcopError, abortReason } from '@ucop/core';
import type { ProviderConfig, ProvidersConfig } from './provider-config.ts';

/** Answers whether a local model server is up at `baseUrl`. Must settle promptly once `signal` aborts. */
export type ServerProbe = (baseUrl: string, signal: AbortSignal) => Promise<boolean>;

/** Options of {@link selectProvider}. */
export interface SelectProviderOptions {
  /** `--provider`: used as given (it must be configured, with its key set). */
  explicit?: string;
  config: ProvidersConfig;
  /** Where key variables are looked up. */
  env: Readonly<Record<string, string | undefined>>;
  /** @default {@link httpProbe}: GET `<base_url>/models` */
  probe?: ServerProbe;
  /** How long a server has to answer the probe. @default 500 */
  probeTimeoutMs?: number;
  signal?: AbortSignal;
}

/** The provider a run will use by default, and why. */
export interface ProviderSelection {
  provider: string;
  reason: 'explicit' | 'api-key' | 'server' | 'offline';
  /** One line for the user: "OPENAI_API_KEY is set", "server at ... answered", ... */
  detail: string;
}

/**
 * Chooses the default provider: the explicit `--provider`, else the first configured provider whose key
 * variable is set or (a keyless local server) whose server answers a probe, else `offline`. Local servers are
 * probed at the same time, so the choice costs at most one probe timeout.
 * @throws UcopError USAGE when `explicit` is not configured or its key variable is not set.
 */
export async function selectProvider(options: SelectProviderOptions): Promise<ProviderSelection> {
  const { config, env } = options;
  if (options.explicit !== undefined) return explicitChoice(options.explicit, config, env);

  const probe = options.probe ?? httpProbe;
  const timeoutMs = options.probeTimeoutMs ?? 500;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const probes = new Map<string, Promise<boolean>>();
  try {
    for (const provider of config.providers) {
      if (isKeylessServer(provider)) probes.set(provider.name, probeWithin(probe, provider.baseUrl!, timeoutMs, controller.signal));
    }
    for (const provider of config.providers) {
      if (provider.kind === 'offline') {
        const first = provider === config.providers[0];
        const detail = first
          ? 'the offline writer is listed first in the providers file'
          : 'no provider listed before the offline writer has its key set or a local server that answered';
        return { provider: provider.name, reason: 'offline', detail };
      }
      if (provider.apiKeyEnv !== undefined) {
        if (env[provider.apiKeyEnv]) return { provider: provider.name, reason: 'api-key', detail: `${provider.apiKeyEnv} is set` };
        continue;
      }
      const answered = probes.get(provider.name);
      if (answered && (await answered)) return { provider: provider.name, reason: 'server', detail: `the server at ${provider.baseUrl} answered` };
    }
    if (options.signal?.aborted) throw abortReason(options.signal);
    return { provider: 'offline', reason: 'offline', detail: 'no provider key is set and no local model server answered' };
  } finally {
    controller.abort();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function explicitChoice(name: string, config: ProvidersConfig, env: Readonly<Record<string, string | undefined>>): ProviderSelection {
  const provider = config.providers.find((p) => p.name === name);
  if (!provider) {
    throw new UcopError('USAGE', `--provider ${name}: no such provider; configured: ${config.providers.map((p) => p.name).join(', ')}`, {
      fields: { provider: name, configured: config.providers.map((p) => p.name) },
    });
  }
  if (provider.apiKeyEnv !== undefined && !env[provider.apiKeyEnv]) {
    throw new UcopError('USAGE', `--provider ${name}: set the environment variable ${provider.apiKeyEnv} to its API key`, {
      fields: { provider: name, apiKeyEnv: provider.apiKeyEnv },
    });
  }
  return { provider: name, reason: 'explicit', detail: '--provider' };
}

function isKeylessServer(provider: ProviderConfig): boolean {
  return provider.kind === 'openai-compatible' && provider.apiKeyEnv === undefined && provider.baseUrl !== undefined;
}

async function probeWithin(probe: ServerProbe, baseUrl: string, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  // The probe must not outlive its deadline even if it ignores the signal.
  const expired = new Promise<boolean>((resolve) => {
    if (deadline.aborted) resolve(false);
    deadline.addEventListener('abort', () => resolve(false), { once: true });
  });
  try {
    return await Promise.race([probe(baseUrl, deadline).catch(() => false), expired]);
  } catch {
    return false;
  }
}

/** GET `<baseUrl>/models`: up when it answers 2xx. Any error, including the deadline, means down. */
export const httpProbe: ServerProbe = async (baseUrl, signal) => {
  try {
    const response = await fetch(`${baseUrl}/models`, { signal, headers: { accept: 'application/json' } });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
};
