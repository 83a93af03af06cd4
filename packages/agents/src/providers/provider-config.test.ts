import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { isUcopError } from '@ucop/core';
import { checkProviderConfig, defaultProvidersConfig, loadProviderConfig, parseProviderConfig } from './provider-config.ts';

const shippedConfig = fileURLToPath(new URL('../../../../config/providers.yaml', import.meta.url));

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('provider configuration', () => {
  it('loads the shipped config/providers.yaml: examples that need a key or a server, then offline', async () => {
    const config = await loadProviderConfig(shippedConfig);
    expect(config.providers.map((p) => [p.name, p.kind])).toEqual([
      ['openai', 'openai'],
      ['anthropic', 'anthropic'],
      ['ollama', 'openai-compatible'],
      ['offline', 'offline'],
    ]);
    const ollama = config.providers.find((p) => p.name === 'ollama');
    expect(ollama).toMatchObject({ baseUrl: 'http://127.0.0.1:11434/v1', timeoutMs: 300_000 });
    expect(ollama?.apiKeyEnv).toBeUndefined();
    expect(config.providers[0]).toMatchObject({
      apiKeyEnv: 'OPENAI_API_KEY',
      limits: { rpm: 500, rpd: 10000, tpm: 200000, concurrency: 8, adaptive: true, windowMs: 60_000 },
      cost: { inputPerMtok: 0.15, outputPerMtok: 0.6 },
    });
    expect(config.fallback).toEqual(['offline']);
    expect(config.retry).toEqual({ maxAttempts: 3, initialDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 });
  });

  it('applies defaults and turns a short window into a per-second limit', () => {
    const config = parseProviderConfig(`
providers:
  - name: local
    kind: openai-compatible
    model: m
    base_url: http://127.0.0.1:9/v1/
    limits: { rpm: 50, concurrency: 5, window: 1s }
`);
    expect(config.providers[0]).toMatchObject({ baseUrl: 'http://127.0.0.1:9/v1', timeoutMs: 60_000, limits: { rpm: 50, windowMs: 1000, adaptive: false } });
    // The offline writer is always configured.
    expect(config.providers.map((p) => p.name)).toEqual(['local', 'offline']);
    expect(defaultProvidersConfig().providers.map((p) => p.name)).toEqual(['offline']);
    expect(parseProviderConfig('').providers.map((p) => p.name)).toEqual(['offline']);
  });

  it('names the field and its line for a wrong type', () => {
    const error = errorOf(() => parseProviderConfig('providers:\n  - name: a\n    kind: openai\n    model: m\n    api_key_env: K\n    limits:\n      rpm: lots\n'));
    expect(isUcopError(error) && error.code).toBe('CONFIG_INVALID');
    expect(isUcopError(error) && error.message).toContain('providers[0].limits.rpm');
    expect(isUcopError(error) && error.location).toMatchObject({ line: 7, col: 12 });
  });

  it('reports an unknown key with CONFIG_UNKNOWN_KEY and a did-you-mean', () => {
    const error = errorOf(() => parseProviderConfig('providers:\n  - name: a\n    kind: offline\n    modle: x\n'));
    expect(isUcopError(error) && error.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(isUcopError(error) && error.message).toContain('unknown key `modle` in `providers[0]`');
    const [diagnostic] = checkProviderConfig('providers:\n  - name: a\n    kind: offline\n    modle: x\n').diagnostics;
    expect(diagnostic).toMatchObject({ line: 4, col: 5, hint: expect.stringContaining('model') });
  });

  it('refuses what looks like a key in api_key_env, without repeating it', () => {
    const secret = 'sk-proj-abcdefghijklmnop1234';
    const error = errorOf(() => parseProviderConfig(`providers:\n  - name: a\n    kind: openai\n    model: m\n    api_key_env: ${secret}\n`));
    expect(isUcopError(error) && error.message).toContain('`providers[0].api_key_env` is not valid: the NAME of the environment variable');
    expect(JSON.stringify(isUcopError(error) && error.toJSON())).not.toContain(secret);
    expect(String(error)).not.toContain(secret);
  });

  it('gathers every semantic problem: duplicates, missing model/base_url/key variable, unknown fallbacks', () => {
    const { config, diagnostics } = checkProviderConfig(`
providers:
  - { name: a, kind: openai-compatible, model: m }
  - { name: a, kind: anthropic }
fallback: [a, nope]
`);
    expect(config).toBeUndefined();
    expect(diagnostics.map((d) => d.message)).toEqual([
      'providers[0]: provider `a` (openai-compatible) needs a `base_url`',
      'providers[1].name: provider `a` is defined twice',
      'providers[1]: provider `a` needs a `model`',
      'providers[1]: provider `a` (anthropic) needs `api_key_env`, the name of the variable that holds its key',
      'fallback[1]: `nope` is not a configured provider',
    ]);
  });

  it('rejects bad durations, kinds and YAML syntax with positions', () => {
    expect(checkProviderConfig('providers:\n  - { name: a, kind: offline, timeout: 30 }\n').diagnostics).toEqual([
      { file: 'config/providers.yaml', line: 2, col: 40, code: 'BAD_DURATION', message: '`providers[0].timeout`: `30` is not a duration: give it a unit, e.g. `30s` or `30ms`' },
    ]);
    expect(checkProviderConfig('retry: { max_delay: 1m1h }\n').diagnostics[0]).toMatchObject({ code: 'BAD_DURATION', line: 1, col: 21 });
    expect(checkProviderConfig('providers:\n  - { name: a, kind: gemini }\n').diagnostics[0]).toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('must be one of `openai`, `anthropic`'),
    });
    expect(checkProviderConfig('providers: [\n').diagnostics[0]).toMatchObject({ code: 'YAML_SYNTAX', line: 2, col: 1 });
    expect(checkProviderConfig('fallback: []\nfallback: [offline]\n').diagnostics[0]).toMatchObject({ code: 'YAML_DUPLICATE_KEY', line: 2, col: 1 });
  });

  it('reads the file with the safe YAML loader: __proto__ keys and alias bombs are refused', () => {
    const polluting = 'providers:\n  - name: a\n    kind: offline\n    __proto__: { polluted: true }\n';
    expect(checkProviderConfig(polluting).diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['YAML_FORBIDDEN_KEY', 4, 5]]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const error = errorOf(() => parseProviderConfig(polluting));
    expect(isUcopError(error) && error.code).toBe('CONFIG_INVALID');

    // Ten aliases of ten aliases of ...: five levels expand to 100,000 values from a few lines.
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...['b', 'c', 'd', 'e'].map((name, i) => `${name}: &${name} [${Array(10).fill(`*${'abcd'[i]!}`).join(', ')}]`),
      'providers: [{ name: a, kind: offline }]',
    ].join('\n');
    const { config, diagnostics } = checkProviderConfig(bomb);
    expect(config).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(['YAML_TOO_MANY_ALIASES']);
  });

  it('reports a missing file as FILE_NOT_FOUND', async () => {
    const error: unknown = await loadProviderConfig('/nonexistent/providers.yaml').catch((e: unknown) => e);
    expect(isUcopError(error) && error.code).toBe('FILE_NOT_FOUND');
  });
});
