import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { isUcopError } from '@ucop/core';
import { defaultProvidersConfig, loadProviderConfig } from '@ucop/agents';
import { createLlmSetup, limitStorePath } from './llm-setup.ts';
import type { ProjectContext } from './project-context.ts';

let dir: string;
let providersPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-llm-setup-'));
  providersPath = join(dir, 'providers.yaml');
  writeFileSync(
    providersPath,
    'providers:\n  - name: keyed\n    kind: openai\n    model: m\n    api_key_env: TEST_KEY_NOT_SET\n  - name: offline\n    kind: offline\nfallback: [offline]\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function project(path: string | undefined): Promise<Pick<ProjectContext, 'providers'>> {
  return { providers: path ? await loadProviderConfig(path) : defaultProvidersConfig() };
}

const io = { env: {}, signal: new AbortController().signal };

describe('createLlmSetup', () => {
  it('chooses nothing until the first model call, then the offline writer when no key is set', async () => {
    const setup = await createLlmSetup(io, await project(providersPath));
    expect(setup.selection()).toBeUndefined();
    expect(setup.router()).toBeUndefined();
    const response = await setup.client.generate({ prompt: 'Write about retries', purpose: 'Retries', context: [{ id: 'a', text: 'Retries help. Backoff spreads load.' }] }, new AbortController().signal);
    expect(response).toMatchObject({ provider: 'offline', offline: true });
    expect(setup.selection()?.provider).toBe('offline');
    expect(setup.skipped().map((s) => s.provider)).toEqual(['keyed']);
  });

  it('eager: chooses up front', async () => {
    const setup = await createLlmSetup(io, await project(providersPath), { eager: true });
    expect(setup.selection()).toMatchObject({ provider: 'offline', reason: 'offline' });
  });

  it('without a providers file the offline writer is the only provider', async () => {
    const setup = await createLlmSetup(io, await project(undefined), { eager: true });
    expect(setup.selection()?.provider).toBe('offline');
  });

  it('records the calls a provider did not answer and passed to its fallback', async () => {
    const down = join(dir, 'down.yaml');
    // Port 1 on the loopback refuses connections at once: the provider is "down".
    writeFileSync(
      down,
      'providers:\n  - name: local\n    kind: openai-compatible\n    model: m\n    base_url: http://127.0.0.1:1/v1\n    api_key_env: TEST_LOCAL_KEY\n    timeout: 2s\n  - name: offline\n    kind: offline\nfallback: [offline]\nretry: { max_attempts: 1 }\n',
    );
    const setup = await createLlmSetup({ ...io, env: { TEST_LOCAL_KEY: 'sk-test' } }, await project(down), { eager: true });
    expect(setup.selection()?.provider).toBe('local');
    const response = await setup.client.generate({ prompt: 'Write about retries', purpose: 'Retries', context: [{ id: 'a', text: 'Retries help.' }] }, new AbortController().signal);
    expect(response.provider).toBe('offline');
    expect(setup.fallbacks()).toEqual([{ provider: 'local', calls: 1, codes: ['PROVIDER_UNAVAILABLE'], to: ['offline'] }]);
  });

  it('an explicit provider is checked before the run: unknown, or its key missing, is a usage error', async () => {
    for (const provider of ['nosuch', 'keyed']) {
      const error = await createLlmSetup(io, await project(providersPath), { provider }).catch((e: unknown) => e);
      expect(isUcopError(error) && error.code).toBe('USAGE');
    }
  });
});

describe('limitStorePath', () => {
  it('is .ucop/limits.sqlite in the project by default, limits_store.dir relative to the providers file, none when disabled', () => {
    const base = defaultProvidersConfig();
    expect(limitStorePath(base, '/p/config/providers.yaml', '/p')).toBe('/p/.ucop/limits.sqlite');
    expect(limitStorePath({ ...base, limitsStore: { enabled: true, wait: true, leaseTtlMs: 1, dir: '../state' } }, '/p/config/providers.yaml', '/p')).toBe('/p/state/limits.sqlite');
    expect(limitStorePath({ ...base, limitsStore: { enabled: false, wait: true, leaseTtlMs: 1 } }, '/p/config/providers.yaml', '/p')).toBeUndefined();
  });

  it('a run whose calls have no limits never creates the file', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ucop-llm-store-'));
    try {
      const setup = await createLlmSetup({ ...io, cwd }, await project(undefined));
      await setup.client.generate({ prompt: 'Write about retries', stage: { key: 'wf/a' } }, io.signal);
      await setup.close();
      expect(existsSync(join(cwd, '.ucop'))).toBe(false);
      expect(Object.keys(setup.stageMetrics())).toEqual(['wf/a']);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
