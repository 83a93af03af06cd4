import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createProviderAdapters, createProviderRouter, loadProviderConfig, selectProvider } from '../../../packages/agents/src/providers/index.ts';
import { createOfflineAdapter } from '../../../packages/agents/src/offline/offline-adapter.ts';

/*
 * The path `ucop generate` takes on a fresh clone: the shipped config/providers.yaml, no key in the
 * environment, no local model server → the offline writer is chosen and answers, and the answer says so.
 */
const shipped = fileURLToPath(new URL('../../../config/providers.yaml', import.meta.url));

describe('provider layer on a fresh clone', () => {
  it('selects and uses the offline writer when there is no key and no server', async () => {
    const config = await loadProviderConfig(shipped);
    const env = {};
    const selection = await selectProvider({ config, env, probe: async () => false });
    expect(selection.provider).toBe('offline');

    const { adapters } = createProviderAdapters(config, { env, offline: createOfflineAdapter() });
    const router = createProviderRouter({ adapters, config, defaultProvider: selection.provider });
    const response = await router.generate(
      {
        prompt: 'Write the introduction',
        purpose: 'Introduction',
        context: [{ id: 'a', title: 'Retries', text: 'Retries with backoff smooth over transient failures. A circuit breaker stops hammering a failing service.' }],
      },
      new AbortController().signal,
    );
    expect(response).toMatchObject({ provider: 'offline', offline: true, usage: { costUsd: 0 } });
    expect(response.text.length).toBeGreaterThan(0);
    expect(router.usage().byProvider.offline?.calls).toBe(1);
    expect(router.breakerStates().offline).toBe('closed');
  });
});
