import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createProviderAdapters } from './create-provider-adapters.ts';
import { loadProviderConfig, parseProviderConfig } from './provider-config.ts';
import { scriptedAdapter } from './testing/scripted-adapter.ts';

const shipped = fileURLToPath(new URL('../../../../config/providers.yaml', import.meta.url));
const offline = scriptedAdapter('offline', [{ kind: 'answer' }], { offline: true });

describe('createProviderAdapters', () => {
  it('skips providers whose key variable is not set, naming the variable, and keeps keyless servers and offline', async () => {
    const { adapters, skipped } = createProviderAdapters(await loadProviderConfig(shipped), { env: {}, offline });
    expect(adapters.map((a) => [a.name, a.offline])).toEqual([
      ['ollama', false],
      ['offline', true],
    ]);
    expect(skipped).toEqual([
      { provider: 'openai', reason: expect.stringContaining('OPENAI_API_KEY') },
      { provider: 'anthropic', reason: expect.stringContaining('ANTHROPIC_API_KEY') },
    ]);
  });

  it('builds an adapter for every provider whose key is set', async () => {
    const { adapters, skipped } = createProviderAdapters(await loadProviderConfig(shipped), { env: { OPENAI_API_KEY: 'k1', ANTHROPIC_API_KEY: 'k2' }, offline });
    expect(adapters.map((a) => a.name)).toEqual(['openai', 'anthropic', 'ollama', 'offline']);
    expect(skipped).toEqual([]);
  });

  it('gives a differently named offline provider the offline writer under that name, or skips it without one', () => {
    const config = parseProviderConfig('providers:\n  - { name: draft, kind: offline }\n');
    const built = createProviderAdapters(config, { env: {}, offline });
    expect(built.adapters.map((a) => [a.name, a.offline])).toEqual([
      ['draft', true],
      ['offline', true],
    ]);
    expect(createProviderAdapters(config, { env: {} }).skipped.map((s) => s.provider)).toEqual(['draft', 'offline']);
  });
});
