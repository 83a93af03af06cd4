import { afterAll, beforeAll, beforeEach, describe, it, expect } from 'vitest';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { UcopError } from '@ucop/core';
import { createAiSdkAdapter } from './ai-sdk-adapter.ts';
import type { ProviderConfig } from './provider-config.ts';
import { startStubLlmServer } from './testing/stub-llm-server.ts';
import { ucopFailure } from './testing/ucop-failure.ts';
import type { StubLlmServer } from './testing/stub-llm-server.ts';

const KEY = 'sk-test-0123456789abcdef';

function providerAt(baseUrl: string, extra: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    name: 'stub',
    kind: 'openai-compatible',
    model: 'stub-model',
    baseUrl,
    apiKeyEnv: 'STUB_KEY',
    limits: { adaptive: false, windowMs: 60_000 },
    cost: { inputPerMtok: 0, outputPerMtok: 0 },
    timeoutMs: 60_000,
    ...extra,
  };
}

const live = (): AbortSignal => new AbortController().signal;

describe('AI SDK adapter (openai-compatible) against the stub server', () => {
  let server: StubLlmServer;
  beforeAll(async () => {
    server = await startStubLlmServer();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  const adapter = () => createAiSdkAdapter(providerAt(server.baseUrl), { env: { STUB_KEY: KEY } });

  it('returns the text, model and token usage, and sends the key as a header', async () => {
    server.script({ kind: 'ok', text: 'Hello from the stub.' });
    const result = await adapter().call({ prompt: 'Say hello', system: 'Be brief', maxTokens: 50 }, live());
    expect(result.text).toBe('Hello from the stub.');
    expect(result.model).toBe('stub-model');
    expect(result.usage.outputTokens).toBe(Math.ceil('Hello from the stub.'.length / 4));
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(server.completions()[0]).toMatchObject({ prompt: 'Say hello', model: 'stub-model', authorized: true, status: 200 });
  });

  it('sends the request context (the sources) to the model inside the prompt', async () => {
    server.script({ kind: 'ok', text: 'Drafted.' });
    await adapter().call({ prompt: 'Write the intro', context: [{ id: 's1', title: 'Caching', text: 'Caches keep hot data close.' }] }, live());
    const sent = server.completions()[0]?.prompt ?? '';
    expect(sent.startsWith('Write the intro')).toBe(true);
    expect(sent).toContain('[1] Caching\nCaches keep hot data close.');
  });

  it('maps 429 to PROVIDER_RATE_LIMITED with Retry-After in ms, from seconds or an HTTP date', async () => {
    server.script({ kind: 'rate-limit', retryAfter: '2' });
    const seconds = await ucopFailure(adapter().call({ prompt: 'x' }, live()));
    expect(seconds).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryable: true, fields: { status: 429, retryAfterMs: 2000 } });

    server.script({ kind: 'rate-limit', retryAfter: new Date(Date.now() + 5000).toUTCString() });
    const date = await ucopFailure(adapter().call({ prompt: 'x' }, live()));
    expect(date.fields.retryAfterMs).toBeGreaterThan(3000);
    expect(date.fields.retryAfterMs).toBeLessThanOrEqual(5000);
  });

  it('maps 500, 503, 408 and 409 to retryable PROVIDER_HTTP and other 4xx to non-retryable', async () => {
    for (const [status, retryable] of [[500, true], [503, true], [408, true], [409, true], [400, false], [404, false], [422, false]] as const) {
      server.script({ kind: 'error', status });
      const error = await ucopFailure(adapter().call({ prompt: 'x' }, live()));
      expect({ status, code: error.code, retryable: error.retryable, fieldStatus: error.fields.status }).toEqual({ status, code: 'PROVIDER_HTTP', retryable, fieldStatus: status });
    }
  });

  it('maps a malformed body to retryable PROVIDER_BAD_RESPONSE', async () => {
    server.script({ kind: 'malformed' });
    const error = await ucopFailure(adapter().call({ prompt: 'x' }, live()));
    expect(error).toMatchObject({ code: 'PROVIDER_BAD_RESPONSE', retryable: true });
  });

  it('never puts the key in an error, even when the server echoes it', async () => {
    server.script({ kind: 'error', status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error' } }) });
    const error = await ucopFailure(adapter().call({ prompt: 'x' }, live()));
    expect(error).toMatchObject({ code: 'PROVIDER_HTTP', retryable: false, fields: { status: 401 } });
    expect(error.message).toContain('[redacted]');
    for (const text of [error.message, String(error), JSON.stringify(error.toJSON()), String(error.stack)]) expect(text).not.toContain(KEY);
    expect(error.cause).toBeUndefined();
  });

  it('stops promptly when the signal aborts during a hanging request, with the caller reason', async () => {
    server.script({ kind: 'hang' });
    const controller = new AbortController();
    const started = performance.now();
    const call = adapter().call({ prompt: 'x' }, controller.signal);
    setTimeout(() => controller.abort(new UcopError('STEP_TIMEOUT', 'step timed out')), 100);
    const error = await ucopFailure(call);
    expect(error.code).toBe('STEP_TIMEOUT');
    // A bound, not a window: a hang would never end, an abort ends within a fraction of a second.
    expect(performance.now() - started).toBeLessThan(5000);
    await expect.poll(() => server.completions()[0]?.aborted).toBe(true);
  });

  it('maps a refused connection to retryable PROVIDER_UNAVAILABLE', async () => {
    const port = await freePort();
    const refused = createAiSdkAdapter(providerAt(`http://127.0.0.1:${port}/v1`), { env: { STUB_KEY: KEY } });
    const error = await ucopFailure(refused.call({ prompt: 'x' }, live()));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
  });

  it('refuses to build without its key, naming the variable', () => {
    expect(() => createAiSdkAdapter(providerAt(server.baseUrl), { env: {} })).toThrow(/set the environment variable STUB_KEY/);
    const keyless = createAiSdkAdapter(providerAt(server.baseUrl, { apiKeyEnv: undefined }), { env: {} });
    expect(keyless.offline).toBe(false);
  });
});

// A port nothing listens on: bind one, note it, close it.
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
