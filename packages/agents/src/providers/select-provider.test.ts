import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadProviderConfig, parseProviderConfig } from './provider-config.ts';
import type { ProvidersConfig } from './provider-config.ts';
import { httpProbe, selectProvider } from './select-provider.ts';
import { startStubLlmServer } from './testing/stub-llm-server.ts';
import type { StubLlmServer } from './testing/stub-llm-server.ts';

const shipped = fileURLToPath(new URL('../../../../config/providers.yaml', import.meta.url));
const down = async (): Promise<boolean> => false;

describe('selectProvider', () => {
  let config: ProvidersConfig;
  let server: StubLlmServer;
  beforeAll(async () => {
    config = await loadProviderConfig(shipped);
    server = await startStubLlmServer();
  });
  afterAll(() => server.close());

  it('defaults to offline with the shipped config when no key is set and no server answers', async () => {
    expect(await selectProvider({ config, env: {}, probe: down })).toEqual({
      provider: 'offline',
      reason: 'offline',
      detail: 'no provider listed before the offline writer has its key set or a local server that answered',
    });
    const offlineFirst = parseProviderConfig('providers:\n  - { name: offline, kind: offline }\n  - { name: openai, kind: openai, model: m, api_key_env: OPENAI_API_KEY }\n');
    expect(await selectProvider({ config: offlineFirst, env: { OPENAI_API_KEY: 'k' }, probe: down })).toMatchObject({
      provider: 'offline',
      detail: 'the offline writer is listed first in the providers file',
    });
  });

  it('takes the first configured provider whose key variable is set, in file order', async () => {
    expect(await selectProvider({ config, env: { ANTHROPIC_API_KEY: 'k' }, probe: down })).toEqual({ provider: 'anthropic', reason: 'api-key', detail: 'ANTHROPIC_API_KEY is set' });
    expect((await selectProvider({ config, env: { ANTHROPIC_API_KEY: 'k', OPENAI_API_KEY: 'k' }, probe: down })).provider).toBe('openai');
    // An empty variable is not a key.
    expect((await selectProvider({ config, env: { OPENAI_API_KEY: '' }, probe: down })).provider).toBe('offline');
  });

  it('takes a keyless local server when GET <base_url>/models answers', async () => {
    const local = parseProviderConfig(`providers:\n  - { name: local, kind: openai-compatible, model: m, base_url: "${server.baseUrl}" }\n`);
    expect(await selectProvider({ config: local, env: {} })).toMatchObject({ provider: 'local', reason: 'server' });
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/models', status: 200 });
  });

  it('gives up on a probe at its deadline even if the probe ignores the signal', async () => {
    const never = (): Promise<boolean> => new Promise(() => {});
    const started = performance.now();
    expect((await selectProvider({ config, env: {}, probe: never, probeTimeoutMs: 50 })).provider).toBe('offline');
    // A bound, not a window: a probe that is waited for would never return.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('reports a refused connection as down', async () => {
    expect(await httpProbe('http://127.0.0.1:9/v1', AbortSignal.timeout(2000))).toBe(false);
  });

  it('uses --provider as given, and says what is missing when it cannot be used', async () => {
    expect(await selectProvider({ explicit: 'ollama', config, env: {} })).toEqual({ provider: 'ollama', reason: 'explicit', detail: '--provider' });
    await expect(selectProvider({ explicit: 'nope', config, env: {} })).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('no such provider') });
    await expect(selectProvider({ explicit: 'openai', config, env: {} })).rejects.toThrow(/set the environment variable OPENAI_API_KEY/);
  });
});
