import { afterAll, beforeAll, beforeEach, describe, it, expect } from 'vitest';
import { FakeClock, UcopError } from '@ucop/core';
import type { Clock } from '@ucop/core';
import { createAiSdkAdapter } from './ai-sdk-adapter.ts';
import { parseProviderConfig } from './provider-config.ts';
import type { ProvidersConfig } from './provider-config.ts';
import { createProviderRouter } from './provider-router.ts';
import { startStubLlmServer } from './testing/stub-llm-server.ts';
import { ucopFailure } from './testing/ucop-failure.ts';
import type { StubLlmServer } from './testing/stub-llm-server.ts';

/*
 * The router and the real AI SDK openai-compatible adapter against the stub server over real HTTP: what a
 * provider sees (from the server's own log) when it rate-limits, fails, hangs or answers garbage.
 */

const live = (): AbortSignal => new AbortController().signal;
const request = { prompt: 'Write the introduction of a post about rate limits.', maxTokens: 64 };

function configFor(servers: Record<string, StubLlmServer>, extra = '', retry = 'retry: { max_attempts: 3, initial_delay: 10ms, max_delay: 50ms }'): ProvidersConfig {
  const providers = Object.entries(servers)
    .map(([name, server]) => `  - { name: ${name}, kind: openai-compatible, model: ${name}-model, base_url: "${server.baseUrl}", timeout: 10s }`)
    .join('\n');
  return parseProviderConfig(`providers:\n${providers}\n${retry}\n${extra}`);
}

function routerFor(config: ProvidersConfig, clock?: Clock) {
  const adapters = config.providers.filter((p) => p.kind !== 'offline').map((p) => createAiSdkAdapter(p, { env: {} }));
  return createProviderRouter({ adapters, config, defaultProvider: adapters[0]!.name, ...(clock ? { clock } : {}) });
}

describe('provider resilience against the stub server', () => {
  let primary: StubLlmServer;
  let secondary: StubLlmServer;
  beforeAll(async () => {
    [primary, secondary] = await Promise.all([startStubLlmServer(), startStubLlmServer()]);
  });
  afterAll(async () => {
    await Promise.all([primary.close(), secondary.close()]);
  });
  beforeEach(() => {
    primary.reset();
    secondary.reset();
  });

  it('honours a 429 Retry-After: the retry reaches the server no sooner than it asked', async () => {
    primary.script({ kind: 'rate-limit', retryAfter: '1' });
    const router = routerFor(configFor({ a: primary }));
    const response = await router.generate(request, live());
    expect(response.provider).toBe('a');
    const [limited, retried] = primary.completions();
    expect([limited?.status, retried?.status]).toEqual([429, 200]);
    expect(retried!.arrivalMs - limited!.endMs!).toBeGreaterThanOrEqual(1000);
    expect(router.stats().a).toMatchObject({ rateLimited: 1, retries: 1 });
  });

  it('retries a 500 and answers', async () => {
    primary.script({ kind: 'error', status: 500 }, { kind: 'error', status: 502 });
    const response = await routerFor(configFor({ a: primary })).generate(request, live());
    expect(response.text).toMatch(/^stub answer 2:/);
    expect(primary.completions().map((r) => r.status)).toEqual([500, 502, 200]);
  });

  it('does not retry a 400, nor fall back', async () => {
    primary.script({ kind: 'error', status: 400 });
    const router = routerFor(configFor({ a: primary, b: secondary }, 'fallback: [b]'));
    const error = await ucopFailure(router.generate(request, live()));
    expect(error).toMatchObject({ code: 'PROVIDER_HTTP', retryable: false, fields: { status: 400 } });
    expect(primary.completions()).toHaveLength(1);
    expect(secondary.completions()).toHaveLength(0);
  });

  it('retries a malformed body as PROVIDER_BAD_RESPONSE', async () => {
    primary.script({ kind: 'malformed' });
    const response = await routerFor(configFor({ a: primary })).generate(request, live());
    expect(response.provider).toBe('a');
    expect(primary.completions().map((r) => r.behaviour)).toEqual(['malformed', 'ok']);
  });

  it('stops a hanging request promptly when the caller aborts, and the server sees the connection close', async () => {
    primary.script({ kind: 'hang' });
    const controller = new AbortController();
    const started = performance.now();
    const call = routerFor(configFor({ a: primary })).generate(request, controller.signal);
    setTimeout(() => controller.abort(new UcopError('STEP_TIMEOUT', 'step timed out')), 100);
    const error = await ucopFailure(call);
    expect(error.code).toBe('STEP_TIMEOUT');
    // A bound, not a window: without the abort this call would never end.
    expect(performance.now() - started).toBeLessThan(5000);
    await expect.poll(() => primary.completions()[0]?.aborted).toBe(true);
    expect(primary.completions()).toHaveLength(1);
  });

  it('times out a hanging provider on its own deadline', async () => {
    primary.script({ kind: 'hang' });
    const config = parseProviderConfig(`providers:\n  - { name: a, kind: openai-compatible, model: m, base_url: "${primary.baseUrl}", timeout: 200ms }\nretry: { max_attempts: 1 }\n`);
    const error = await ucopFailure(routerFor(config).generate(request, live()));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, fields: { timeoutMs: 200 } });
    await expect.poll(() => primary.completions()[0]?.aborted).toBe(true);
  });

  it('opens the circuit after N failures, refuses without calling, then lets one probe through', async () => {
    const clock = new FakeClock();
    const router = routerFor(configFor({ a: primary }, 'breaker: { failure_threshold: 3, half_open_after: 10s }', 'retry: { max_attempts: 1 }'), clock);
    primary.script({ kind: 'error', status: 500 }, { kind: 'error', status: 503 }, { kind: 'error', status: 500 });
    for (let i = 0; i < 3; i++) expect((await ucopFailure(router.generate(request, live()))).code).toBe('PROVIDER_HTTP');
    expect(router.breakerStates().a).toBe('open');
    const refused = await ucopFailure(router.generate(request, live()));
    expect(refused).toMatchObject({ code: 'PROVIDER_CIRCUIT_OPEN', fields: { retryAfterMs: 10_000 } });
    expect(primary.completions()).toHaveLength(3);

    await clock.advance(10_000);
    expect(router.breakerStates().a).toBe('half-open');
    const probe = router.generate(request, live());
    // While the probe is out, other calls are refused rather than queued behind it.
    expect((await ucopFailure(router.generate(request, live()))).code).toBe('PROVIDER_CIRCUIT_OPEN');
    expect((await probe).provider).toBe('a');
    expect(router.breakerStates().a).toBe('closed');
    expect(primary.completions()).toHaveLength(4);
  });

  it('falls back to the second provider and records who answered', async () => {
    primary.script({ kind: 'error', status: 503 }, { kind: 'error', status: 503 }, { kind: 'error', status: 503 });
    const router = routerFor(configFor({ a: primary, b: secondary }, 'fallback: [b]'));
    const response = await router.generate(request, live());
    expect(response).toMatchObject({ provider: 'b', model: 'b-model', offline: false });
    expect(primary.completions()).toHaveLength(3);
    expect(secondary.completions()).toHaveLength(1);
    expect(router.usage().byProvider).toEqual({ b: expect.objectContaining({ calls: 1 }) });
    expect(router.stats().a).toMatchObject({ failures: 3, fallbacks: 1 });
  });
});
