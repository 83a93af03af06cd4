import { describe, it, expect } from 'vitest';
import { FakeClock, UcopError, flushMicrotasks, isUcopError } from '@ucop/core';
import type { LlmRequest, SpanAttributes, SpanHandle } from '@ucop/core';
import { createProviderRouter } from './provider-router.ts';
import type { ProviderRouterOptions } from './provider-router.ts';
import { DEFAULT_BREAKER, DEFAULT_RETRY } from './provider-config.ts';
import type { ProviderConfig, ProviderLimits, ProvidersConfig } from './provider-config.ts';
import { providerErrors, scriptedAdapter } from './testing/scripted-adapter.ts';
import type { ScriptedAdapter, ScriptedStep } from './testing/scripted-adapter.ts';

const live = (): AbortSignal => new AbortController().signal;
const ok: ScriptedStep = { kind: 'answer' };

function provider(name: string, limits: Partial<ProviderLimits> = {}, extra: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    name,
    kind: 'openai-compatible',
    model: `${name}-model`,
    baseUrl: 'http://127.0.0.1:1/v1',
    limits: { adaptive: false, windowMs: 1000, ...limits },
    cost: { inputPerMtok: 1, outputPerMtok: 2 },
    timeoutMs: 10_000,
    ...extra,
  };
}

function config(providers: ProviderConfig[], extra: Partial<ProvidersConfig> = {}): ProvidersConfig {
  return { providers, fallback: [], retry: { ...DEFAULT_RETRY }, breaker: { ...DEFAULT_BREAKER }, ...extra };
}

function setup(adapters: (clock: FakeClock) => ScriptedAdapter[], cfg: ProvidersConfig, extra: Partial<ProviderRouterOptions> = {}) {
  const clock = new FakeClock();
  const list = adapters(clock);
  const router = createProviderRouter({ adapters: list, config: cfg, clock, random: () => 0, defaultProvider: list[0]!.name, ...extra });
  return { clock, router, adapters: list };
}

async function outcome<T>(clock: FakeClock, promise: Promise<T>): Promise<{ value?: T; error?: UcopError; at: number }> {
  let result: { value?: T; error?: UcopError; at: number } | undefined;
  promise.then(
    (value) => (result = { value, at: clock.now() }),
    (error: unknown) => {
      if (!isUcopError(error)) throw error;
      result = { error, at: clock.now() };
    },
  );
  await clock.advanceUntil(() => result !== undefined);
  if (!result) throw new Error('the call never finished');
  return result;
}

const request: LlmRequest = { prompt: 'Write an introduction', maxTokens: 100 };

describe('provider router (fake clock, scripted adapters)', () => {
  it('answers through the default provider, records who answered, and accounts tokens and cost', async () => {
    const t = setup((clock) => [scriptedAdapter('a', [{ kind: 'answer', text: 'Hello', inputTokens: 1000, outputTokens: 500 }], { clock })], config([provider('a')]));
    const step = t.router.scope();
    const r = await outcome(t.clock, step.generate(request, live()));
    expect(r.value).toEqual({ text: 'Hello', provider: 'a', model: 'a-model', usage: { inputTokens: 1000, outputTokens: 500, costUsd: 0.002 }, offline: false });
    await outcome(t.clock, t.router.generate(request, live()));
    expect(step.usage()).toEqual({ calls: 1, inputTokens: 1000, outputTokens: 500, costUsd: 0.002, byProvider: { a: { calls: 1, inputTokens: 1000, outputTokens: 500, costUsd: 0.002 } } });
    expect(t.router.usage()).toMatchObject({ calls: 2, inputTokens: 2000, outputTokens: 1000, costUsd: 0.004 });
  });

  it('retries a 500 with exponential backoff, then succeeds', async () => {
    const t = setup((clock) => [scriptedAdapter('a', [{ kind: 'fail', error: providerErrors.http(500) }, { kind: 'fail', error: providerErrors.http(503) }, ok], { clock })], config([provider('a')]));
    const r = await outcome(t.clock, t.router.generate(request, live()));
    expect(r.value?.provider).toBe('a');
    // random() = 0: equal jitter waits half of 500 ms, then half of 1000 ms.
    expect(t.adapters[0]!.calls.map((c) => c.at)).toEqual([0, 250, 750]);
    expect(t.router.stats().a).toMatchObject({ attempts: 3, successes: 1, failures: 2, retries: 2 });
  });

  it('honours Retry-After on a 429, for every caller of that provider', async () => {
    const t = setup((clock) => [scriptedAdapter('a', [{ kind: 'fail', error: providerErrors.rateLimited(2000) }, ok], { clock })], config([provider('a')]));
    const first = outcome(t.clock, t.router.generate(request, live()));
    await flushMicrotasks();
    const second = t.router.generate(request, live());
    const r = await first;
    await second;
    expect(r.at).toBe(2000);
    expect(t.adapters[0]!.calls.map((c) => c.at)).toEqual([0, 2000, 2000]);
  });

  it('neither retries nor falls back on a 400', async () => {
    const t = setup(
      (clock) => [scriptedAdapter('a', [{ kind: 'fail', error: providerErrors.http(400) }], { clock }), scriptedAdapter('b', [ok], { clock })],
      config([provider('a'), provider('b')], { fallback: ['b'] }),
    );
    const r = await outcome(t.clock, t.router.generate(request, live()));
    expect(r.error).toMatchObject({ code: 'PROVIDER_HTTP', fields: { status: 400 } });
    expect(t.adapters[0]!.calls).toHaveLength(1);
    expect(t.adapters[1]!.calls).toHaveLength(0);
  });

  it('falls back at once when Retry-After is longer than max_retry_after', async () => {
    const t = setup(
      (clock) => [scriptedAdapter('a', [{ kind: 'fail', error: providerErrors.rateLimited(3_600_000) }], { clock }), scriptedAdapter('b', [ok], { clock })],
      config([provider('a'), provider('b')], { fallback: ['b'] }),
    );
    const r = await outcome(t.clock, t.router.generate(request, live()));
    expect(r).toMatchObject({ at: 0, value: { provider: 'b' } });
  });

  it('falls back when retries are used up, then opens the circuit and skips the provider until a probe succeeds', async () => {
    let healthy = false;
    const t = setup(
      (clock) => [
        scriptedAdapter('a', () => (healthy ? ok : { kind: 'fail', error: providerErrors.unavailable() }), { clock }),
        scriptedAdapter('b', [ok], { clock }),
      ],
      config([provider('a'), provider('b')], { fallback: ['b'], retry: { ...DEFAULT_RETRY, maxAttempts: 2 }, breaker: { failureThreshold: 4, halfOpenAfterMs: 5000 } }),
    );
    const a = t.adapters[0]!;
    expect((await outcome(t.clock, t.router.generate(request, live()))).value?.provider).toBe('b');
    expect((await outcome(t.clock, t.router.generate(request, live()))).value?.provider).toBe('b');
    expect(a.calls).toHaveLength(4);
    expect(t.router.breakerStates()).toEqual({ a: 'open', b: 'closed' });
    // Open: straight to b, a is not called.
    expect((await outcome(t.clock, t.router.generate(request, live()))).value?.provider).toBe('b');
    expect(a.calls).toHaveLength(4);
    healthy = true;
    await t.clock.advance(5000);
    expect(t.router.breakerStates().a).toBe('half-open');
    expect((await outcome(t.clock, t.router.generate(request, live()))).value?.provider).toBe('a');
    expect(t.router.breakerStates().a).toBe('closed');
    expect(t.router.stats().a?.fallbacks).toBe(3);
    expect(t.router.usage().byProvider).toMatchObject({ a: { calls: 1 }, b: { calls: 3 } });
    // The usage report says who failed and why (for the run record), not just the logs.
    expect(t.router.usage().fallbacks).toEqual([
      { from: 'a', to: 'b', code: 'PROVIDER_UNAVAILABLE', count: 2 },
      { from: 'a', to: 'b', code: 'PROVIDER_CIRCUIT_OPEN', count: 1 },
    ]);
  });

  it('says in the response and in the scope usage which providers failed the call before one answered', async () => {
    const t = setup(
      (clock) => [
        scriptedAdapter('a', [{ kind: 'fail', error: providerErrors.http(503) }, { kind: 'fail', error: providerErrors.http(503) }], { clock }),
        scriptedAdapter('b', [{ kind: 'fail', error: providerErrors.unavailable() }, ok], { clock }),
        scriptedAdapter('c', [ok], { clock }),
      ],
      config([provider('a'), provider('b'), provider('c')], { fallback: ['b', 'c'], retry: { ...DEFAULT_RETRY, maxAttempts: 1 } }),
    );
    const scope = t.router.scope();
    const first = await outcome(t.clock, scope.generate(request, live()));
    expect(first.value).toMatchObject({ provider: 'c', fallbacks: [{ provider: 'a', code: 'PROVIDER_HTTP', to: 'b' }, { provider: 'b', code: 'PROVIDER_UNAVAILABLE', to: 'c' }] });
    const second = await outcome(t.clock, scope.generate(request, live()));
    expect(second.value).toMatchObject({ provider: 'b', fallbacks: [{ provider: 'a', code: 'PROVIDER_HTTP', to: 'b' }] });
    expect(scope.usage().fallbacks).toEqual([
      { from: 'a', to: 'b', code: 'PROVIDER_HTTP', count: 2 },
      { from: 'b', to: 'c', code: 'PROVIDER_UNAVAILABLE', count: 1 },
    ]);
    // A call nobody passed on carries no fallbacks.
    const third = setup((clock) => [scriptedAdapter('a', [ok], { clock })], config([provider('a')]));
    const plain = await outcome(third.clock, third.router.generate(request, live()));
    expect(plain.value).not.toHaveProperty('fallbacks');
    expect(third.router.usage()).not.toHaveProperty('fallbacks');
  });

  it('falls back when the daily quota is used up, along the request fallback list first', async () => {
    const t = setup(
      (clock) => [scriptedAdapter('a', [ok], { clock }), scriptedAdapter('b', [ok], { clock }), scriptedAdapter('c', [ok], { clock })],
      config([provider('a', { rpd: 2 }), provider('b'), provider('c')], { fallback: ['b'] }),
    );
    const answered: string[] = [];
    for (let i = 0; i < 3; i++) answered.push((await outcome(t.clock, t.router.generate({ ...request, fallback: ['c'] }, live()))).value!.provider);
    expect(answered).toEqual(['a', 'a', 'c']);
    expect(t.adapters[0]!.calls).toHaveLength(2);
  });

  it('says which providers were tried when none could answer', async () => {
    const t = setup(
      (clock) => [scriptedAdapter('a', [{ kind: 'fail', error: providerErrors.http(500) }], { clock }), scriptedAdapter('b', [{ kind: 'fail', error: providerErrors.badResponse() }], { clock })],
      config([provider('a'), provider('b')], { fallback: ['b'], retry: { ...DEFAULT_RETRY, maxAttempts: 1 } }),
    );
    const r = await outcome(t.clock, t.router.generate(request, live()));
    expect(r.error?.code).toBe('PROVIDER_BAD_RESPONSE');
    expect(r.error?.fields.tried).toEqual([
      { provider: 'a', code: 'PROVIDER_HTTP' },
      { provider: 'b', code: 'PROVIDER_BAD_RESPONSE' },
    ]);
  });

  it('times a hanging call out after the provider timeout, as a retryable PROVIDER_UNAVAILABLE', async () => {
    const t = setup(
      (clock) => [scriptedAdapter('a', [{ kind: 'hang' }, ok], { clock })],
      config([provider('a', {}, { timeoutMs: 1000 })]),
    );
    const r = await outcome(t.clock, t.router.generate(request, live()));
    expect(r.value?.provider).toBe('a');
    expect(t.adapters[0]!.calls.map((c) => c.at)).toEqual([0, 1250]);
    expect(t.router.stats().a?.failures).toBe(1);
  });

  it('stops at once, with the caller reason, when aborted during a backoff or a call', async () => {
    const t = setup((clock) => [scriptedAdapter('a', [{ kind: 'fail', error: providerErrors.http(500) }, { kind: 'hang' }], { clock })], config([provider('a')]));
    const controller = new AbortController();
    const call = t.router.generate(request, controller.signal).catch((e: unknown) => e);
    await t.clock.advance(100);
    controller.abort(new UcopError('STEP_TIMEOUT', 'step timed out'));
    expect(await call).toMatchObject({ code: 'STEP_TIMEOUT' });
    expect(t.clock.now()).toBe(100);
    expect(t.adapters[0]!.calls).toHaveLength(1);

    const during = new AbortController();
    const hung = t.router.generate(request, during.signal).catch((e: unknown) => e);
    await t.clock.advance(10);
    during.abort(new UcopError('RUN_CANCELLED', 'cancelled'));
    expect(await hung).toMatchObject({ code: 'RUN_CANCELLED' });
    expect(t.adapters[0]!.calls).toHaveLength(2);

    // A caller's abort is not the provider's fault: even with a threshold of one failure, the circuit stays closed.
    const strict = setup((clock) => [scriptedAdapter('a', [{ kind: 'hang' }], { clock })], config([provider('a')], { breaker: { failureThreshold: 1, halfOpenAfterMs: 1000 } }));
    const aborting = new AbortController();
    const pending = strict.router.generate(request, aborting.signal).catch((e: unknown) => e);
    await strict.clock.advance(10);
    // (A step timeout is retryable for the engine; it still must not count against the provider.)
    aborting.abort(new UcopError('STEP_TIMEOUT', 'step timed out', { retryable: true }));
    await pending;
    expect(strict.router.breakerStates().a).toBe('closed');
  });

  it('applies the provider rate limits to calls', async () => {
    const t = setup((clock) => [scriptedAdapter('a', [ok], { clock })], config([provider('a', { rpm: 2, windowMs: 1000 })]));
    const calls = Array.from({ length: 5 }, () => t.router.generate(request, live()));
    await t.clock.advanceUntil(() => t.adapters[0]!.calls.length === 5);
    await Promise.all(calls);
    expect(t.adapters[0]!.calls.map((c) => c.at)).toEqual([0, 0, 1000, 1000, 2000]);
  });

  it('halves an adaptive provider concurrency on 429s and raises it again on success', async () => {
    const t = setup(
      (clock) => [scriptedAdapter('a', [{ kind: 'fail', error: providerErrors.rateLimited(100) }, { kind: 'answer', delayMs: 10 }], { clock })],
      config([provider('a', { concurrency: 8, adaptive: true })]),
    );
    const first = outcome(t.clock, t.router.generate(request, live()));
    await flushMicrotasks();
    expect(t.router.stats().a?.concurrency).toBe(4);
    await first;
    for (let i = 0; i < 12; i++) await outcome(t.clock, t.router.generate(request, live()));
    expect(t.router.stats().a?.concurrency).toBe(8);
  });

  it('opens a span per provider call under the step span', async () => {
    const spans: { name: string; attributes: SpanAttributes; ended: boolean; errors: number }[] = [];
    const parent: SpanHandle = {
      setAttributes() {},
      recordError() {},
      setStatus() {},
      end() {},
      child(name, attributes = {}) {
        const record = { name, attributes: { ...attributes }, ended: false, errors: 0 };
        spans.push(record);
        return {
          setAttributes: (a) => Object.assign(record.attributes, a),
          recordError: () => record.errors++,
          setStatus: () => {},
          end: () => (record.ended = true),
          child: () => parent,
        };
      },
    };
    const t = setup((clock) => [scriptedAdapter('a', [{ kind: 'fail', error: providerErrors.http(502) }, ok], { clock })], config([provider('a')]));
    await outcome(t.clock, t.router.scope({ span: parent }).generate(request, live()));
    expect(spans.map((s) => [s.name, s.attributes['llm.attempt'], s.errors, s.ended])).toEqual([
      ['llm.call', 1, 1, true],
      ['llm.call', 2, 0, true],
    ]);
    expect(spans[1]?.attributes).toMatchObject({ 'llm.provider': 'a', 'llm.model': 'a-model', 'llm.output_tokens': 20, 'llm.outcome': 'ok' });
    expect(spans[0]?.attributes).toMatchObject({ 'llm.outcome': 'error', 'llm.error_code': 'PROVIDER_HTTP' });
  });

  it('opens the per-call spans under the span given with the call (the step attempt), over the scope and router spans', async () => {
    const opened: string[] = [];
    const spanNamed = (label: string): SpanHandle => ({
      setAttributes() {},
      recordError() {},
      setStatus() {},
      end() {},
      child(name) {
        opened.push(`${label} > ${name}`);
        return spanNamed(name);
      },
    });
    const t = setup((clock) => [scriptedAdapter('a', [ok, ok, ok], { clock })], config([provider('a')]), { span: spanNamed('router') });
    await outcome(t.clock, t.router.generate(request, live(), { span: spanNamed('attempt 1') }));
    await outcome(t.clock, t.router.scope({ span: spanNamed('scope') }).generate(request, live(), { span: spanNamed('attempt 2') }));
    await outcome(t.clock, t.router.generate(request, live()));
    expect(opened).toEqual(['attempt 1 > llm.call', 'attempt 2 > llm.call', 'router > llm.call']);
  });

  it('rejects an unknown provider, and names the key variable of a configured one without adapter', async () => {
    const cfg = config([provider('a'), provider('openai', {}, { kind: 'openai', apiKeyEnv: 'OPENAI_API_KEY' })]);
    const t = setup((clock) => [scriptedAdapter('a', [ok], { clock })], cfg);
    await expect(t.router.generate({ ...request, provider: 'nope' }, live())).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('unknown provider `nope`') });
    await expect(t.router.generate({ ...request, provider: 'openai' }, live())).rejects.toThrow(/set OPENAI_API_KEY/);
    // In a fallback list, a provider without adapter is skipped.
    expect((await outcome(t.clock, t.router.generate({ ...request, fallback: ['openai'] }, live()))).value?.provider).toBe('a');
  });
});
