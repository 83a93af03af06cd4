import { describe, expect, it } from 'vitest';
import { FakeClock, UcopError, flushMicrotasks, isUcopError } from '@ucop/core';
import type { LlmRequest, LlmResponse } from '@ucop/core';
import { createOfflineAdapter } from '../offline/offline-adapter.ts';
import { defaultProvidersConfig } from '../providers/provider-config.ts';
import { createProviderRouter } from '../providers/provider-router.ts';
import { scriptedAdapter } from '../providers/testing/scripted-adapter.ts';
import type { ScriptedStep } from '../providers/testing/scripted-adapter.ts';
import { StageRuntime } from './stage-runtime.ts';
import type { StageDownstream } from './stage-runtime.ts';
import { resolveStagePolicy } from './stage-policy.ts';
import type { StagePolicySpec } from '@ucop/core';

const live = (): AbortSignal => new AbortController().signal;
const request = (prompt: string, extra: Partial<LlmRequest> = {}): LlmRequest => ({ prompt, stage: { key: 'wf/s' }, ...extra });

/** A downstream that answers after `latency(n)` ms on the fake clock, failing when `fails(n)`; records calls. */
function fakeDownstream(clock: FakeClock, behaviour: { latency?: (n: number) => number; fails?: (n: number) => boolean; answer?: (r: LlmRequest) => LlmResponse } = {}) {
  const calls: LlmRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const downstream: StageDownstream = {
    defaultProvider: 'p',
    breakerStates: () => ({}),
    async generate(r, signal) {
      const n = calls.length;
      calls.push(r);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await clock.sleep(behaviour.latency?.(n) ?? 100, signal);
        if (behaviour.fails?.(n)) throw new UcopError('PROVIDER_HTTP', 'boom', { fields: { status: 500 }, retryable: true });
        return behaviour.answer?.(r) ?? { text: `answer ${n}`, provider: r.provider ?? 'p', model: 'm', usage: { inputTokens: 1, outputTokens: 1, costUsd: 0 }, offline: false };
      } finally {
        inFlight--;
      }
    },
  };
  return { downstream, calls, maxInFlight: () => maxInFlight };
}

function stage(clock: FakeClock, downstream: StageDownstream, spec: StagePolicySpec): StageRuntime {
  return new StageRuntime({ key: 'wf/s', policy: resolveStagePolicy('wf/s', undefined, spec), downstream, clock });
}

/** Runs `n` calls through the stage with at most `parallel` outstanding, on the fake clock. */
async function drive(clock: FakeClock, runtime: StageRuntime, n: number, parallel: number, stepMs = 10): Promise<{ ok: number; failed: number }> {
  const make = (i: number): LlmRequest => request(`item ${i}`);
  let next = 0;
  let ok = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      await runtime.generate(make(i), live()).then(
        () => ok++,
        () => failed++,
      );
    }
  };
  const all = Promise.all(Array.from({ length: parallel }, worker));
  let done = false;
  void all.then(() => (done = true));
  while (!done) {
    await clock.advance(stepMs);
    await flushMicrotasks();
  }
  return { ok, failed };
}

describe('StageRuntime: rate_limit', () => {
  it('holds any window (3 per 1h) and concurrency, in this process without a store', async () => {
    const clock = new FakeClock();
    const fake = fakeDownstream(clock, { latency: () => 1_000 });
    const runtime = stage(clock, fake.downstream, { rate_limit: { concurrency: 2, budgets: [{ requests: 3, per: '1h' }] } });
    const results: number[] = [];
    for (let i = 0; i < 4; i++) void runtime.generate(request(`r${i}`), live()).then(() => results.push(clock.now()));
    for (let t = 0; t < 500; t++) await clock.advance(10);
    expect(fake.maxInFlight()).toBe(2);
    expect(results).toHaveLength(3);
    await clock.advance(3_600_000);
    await flushMicrotasks();
    await clock.advance(1_000);
    await flushMicrotasks();
    expect(results).toHaveLength(4);
    expect(runtime.metrics.report().rateLimitWaits.count).toBeGreaterThan(0);
  });

  it('a budget with on_full: fail fails fast', async () => {
    const clock = new FakeClock();
    const fake = fakeDownstream(clock, { latency: () => 1 });
    const runtime = stage(clock, fake.downstream, { rate_limit: { budgets: [{ requests: 1, per: '1h', on_full: 'fail' }] } });
    const first = runtime.generate(request('a'), live());
    await clock.advance(1);
    await first;
    const second = await runtime.generate(request('b'), live()).catch((e: unknown) => e);
    expect(isUcopError(second) && second.code).toBe('PROVIDER_QUOTA_EXHAUSTED');
  });
});

describe('StageRuntime: providers', () => {
  it('round robin spreads 90 calls 30/30/30 and records the provider of each call', async () => {
    const clock = new FakeClock();
    const fake = fakeDownstream(clock);
    const runtime = stage(clock, fake.downstream, { providers: { use: ['a', 'b', 'c'], strategy: 'round_robin' } });
    await drive(clock, runtime, 90, 5);
    const counts = runtime.metrics.report().providers;
    expect(counts).toEqual({ a: 30, b: 30, c: 30 });
    expect(runtime.metrics.report().strategy).toBe('round_robin');
  });

  it('round robin passes over a listed provider that cannot take calls (no key), and spreads over the rest', async () => {
    const clock = new FakeClock();
    const fake = fakeDownstream(clock);
    const downstream: StageDownstream = { ...fake.downstream, usable: (name) => name !== 'nokey' };
    const runtime = stage(clock, downstream, { providers: { use: ['a', 'nokey', 'b'], strategy: 'round_robin' } });
    await drive(clock, runtime, 40, 4);
    expect(runtime.metrics.report().providers).toEqual({ a: 20, b: 20 });
  });

  it('round robin skips a provider whose stage breaker is open, with the transition recorded', async () => {
    const clock = new FakeClock();
    const fake = fakeDownstream(clock, { fails: (n) => fake.calls[n]!.provider === 'bad' });
    const runtime = stage(clock, fake.downstream, { providers: { use: ['a', 'bad', 'b'], strategy: 'round_robin' }, breaker: { failure_threshold: 2, half_open_after: '1h' } });
    const { ok } = await drive(clock, runtime, 60, 1);
    expect(ok).toBe(60);
    expect(fake.calls.filter((c) => c.provider === 'bad')).toHaveLength(2);
    const report = runtime.metrics.report();
    expect(report.breakerTransitions.map((t) => [t.provider, t.state])).toEqual([['bad', 'open']]);
    expect(report.providers.a! + report.providers.b!).toBe(60);
    expect(Math.abs(report.providers.a! - report.providers.b!)).toBeLessThanOrEqual(2);
    expect(report.errorsByCode).toEqual({ PROVIDER_HTTP: 2 });
  });

  it('least_loaded sends the call to the provider with the fewest in flight', async () => {
    const clock = new FakeClock();
    // Provider a is slow: it keeps calls in flight, so b gets most of them.
    const fake = fakeDownstream(clock, { latency: (n) => (fake.calls[n]!.provider === 'a' ? 1_000 : 10) });
    const runtime = stage(clock, fake.downstream, { providers: { use: ['a', 'b'], strategy: 'least_loaded' } });
    await drive(clock, runtime, 40, 4);
    const { a, b } = runtime.metrics.report().providers;
    expect(b!).toBeGreaterThan(a! * 3);
  });

  it('fallback goes down the list on a retryable failure', async () => {
    const clock = new FakeClock();
    const fake = fakeDownstream(clock, { fails: (n) => fake.calls[n]!.provider === 'a' });
    const runtime = stage(clock, fake.downstream, { providers: ['a', 'b'] });
    await drive(clock, runtime, 3, 1);
    expect(fake.calls.map((c) => c.provider)).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
  });

  it('through the real router: round robin over scripted providers, one failing until its breaker opens', async () => {
    const clock = new FakeClock();
    const ok: ScriptedStep = { kind: 'answer', text: 'fine', delayMs: 5 };
    const adapters = [scriptedAdapter('a', [ok], { clock }), scriptedAdapter('b', [ok], { clock }), scriptedAdapter('bad', [{ kind: 'fail', error: new UcopError('PROVIDER_HTTP', 'down', { fields: { status: 503 }, retryable: true }) }], { clock })];
    const config = { ...defaultProvidersConfig(), retry: { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } };
    const router = createProviderRouter({ adapters: [...adapters, createOfflineAdapter()], config, clock });
    const runtime = new StageRuntime({ key: 'wf/s', policy: resolveStagePolicy('wf/s', undefined, { providers: { use: ['a', 'b', 'bad'], strategy: 'round_robin' }, breaker: { failure_threshold: 3 } }), downstream: router, clock });
    const { ok: answered } = await drive(clock, runtime, 90, 3);
    expect(answered).toBe(90);
    expect(adapters[2]!.calls.length).toBe(3);
    // Every call answered by a or b, evenly but for the three that `bad` failed and passed on.
    expect(adapters[0]!.calls.length + adapters[1]!.calls.length).toBe(90);
    expect(Math.abs(adapters[0]!.calls.length - adapters[1]!.calls.length)).toBeLessThanOrEqual(4);
  });
});

describe('StageRuntime: batch', () => {
  it('coalesces 10 requests into 4 calls of size 3 (3+3+3+1) and gives each its own answer', async () => {
    const clock = new FakeClock();
    const fake = fakeDownstream(clock, {
      answer: (r) => {
        const n = (r.prompt.match(/### Request \d+/g) ?? []).length;
        const items = [...r.prompt.matchAll(/### Request \d+\n(item \d+)/g)].map((m) => `answer to ${m[1]}`);
        return { text: JSON.stringify({ answers: n === 0 ? [] : items }), provider: 'p', model: 'm', usage: { inputTokens: 9, outputTokens: 9, costUsd: 0 }, offline: false };
      },
    });
    const runtime = stage(clock, fake.downstream, { batch: { size: 3, max_wait: '50ms' } });
    const pending = Array.from({ length: 10 }, (_, i) => runtime.generate(request(`item ${i}`), live()));
    // Three full batches go at once; the tenth request waits max_wait for companions, then goes alone.
    await flushMicrotasks();
    expect(fake.calls).toHaveLength(3);
    await clock.advance(50);
    await clock.advance(100);
    const answers = await Promise.all(pending);
    expect(fake.calls).toHaveLength(4);
    expect(fake.calls[3]!.prompt).toBe('item 9');
    const texts = answers.map((a) => a.text);
    expect(texts.slice(0, 9)).toEqual(Array.from({ length: 9 }, (_, i) => `answer to item ${i}`));
    expect(runtime.metrics.report().batches).toEqual({ calls: 3, requests: 9 });
  });

  it('an answer that cannot be split fails every request of the batch with LLM_BATCH_UNSPLITTABLE', async () => {
    const clock = new FakeClock();
    const fake = fakeDownstream(clock, { latency: () => 1, answer: () => ({ text: '{"answers": ["only one"]}', provider: 'p', model: 'm', usage: { inputTokens: 1, outputTokens: 1, costUsd: 0 }, offline: false }) });
    const runtime = stage(clock, fake.downstream, { batch: { size: 2 } });
    const results = Promise.allSettled([runtime.generate(request('a'), live()), runtime.generate(request('b'), live())]);
    await clock.advance(1);
    const settled = await results;
    for (const s of settled) expect(s.status === 'rejected' && isUcopError(s.reason) && s.reason.code).toBe('LLM_BATCH_UNSPLITTABLE');
  });
});

describe('StageRuntime: workers', () => {
  const workers = { min: 2, max: 16, sample: 20 };

  it('shrinks by 25% when more than 20% of calls fail, and grows back by 33% when the errors stop', async () => {
    const clock = new FakeClock();
    let failing = true;
    const fake = fakeDownstream(clock, { fails: (n) => failing && n % 4 === 0 });
    const runtime = stage(clock, fake.downstream, { workers });
    await drive(clock, runtime, 200, 16);
    const shrunk = runtime.targetWorkers!;
    expect(shrunk).toBe(2);
    failing = false;
    await drive(clock, runtime, 200, 16);
    expect(runtime.targetWorkers).toBe(16);
    const targets = runtime.metrics.report().workers!.map((w) => w.target);
    expect(targets.slice(0, 5)).toEqual([16, 12, 9, 6, 4]);
    expect(targets).toContain(2);
    expect(targets.at(-1)).toBe(16);
    expect(fake.maxInFlight()).toBeLessThanOrEqual(16);
  });

  it('shrinks when calls take 40 s (fake clock), grows when they are fast again', async () => {
    const clock = new FakeClock();
    let slow = true;
    const fake = fakeDownstream(clock, { latency: () => (slow ? 40_000 : 100) });
    const runtime = stage(clock, fake.downstream, { workers: { min: 1, max: 8, sample: 8 } });
    await drive(clock, runtime, 40, 8, 1_000);
    expect(runtime.targetWorkers).toBeLessThan(8);
    slow = false;
    await drive(clock, runtime, 200, 8);
    expect(runtime.targetWorkers).toBe(8);
  });

  it('the thresholds are configurable: every error kind counts', async () => {
    const clock = new FakeClock();
    const fake = fakeDownstream(clock, { fails: (n) => n % 10 === 0 });
    const strict = stage(clock, fake.downstream, { workers: { min: 1, max: 8, sample: 10, shrink_error_rate: 0.05 } });
    await drive(clock, strict, 30, 8);
    expect(strict.targetWorkers).toBeLessThan(8);
  });
});

describe('StageRuntime: breakers shared through the limit store', () => {
  it('a circuit opened in one process is skipped by another until its open time passes', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openSqliteLimitStore } = await import('../limits/sqlite-limit-store.ts');
    const dir = mkdtempSync(join(tmpdir(), 'ucop-stage-breaker-'));
    const store = await openSqliteLimitStore(join(dir, 'limits.sqlite'));
    try {
      const clock = new FakeClock();
      const spec: StagePolicySpec = { providers: { use: ['a', 'bad'], strategy: 'round_robin' }, breaker: { failure_threshold: 2, half_open_after: '1m' } };
      const first = fakeDownstream(clock, { latency: () => 1, fails: (n) => first.calls[n]!.provider === 'bad' });
      const one = new StageRuntime({ key: 'wf/s', policy: resolveStagePolicy('wf/s', undefined, spec), downstream: first.downstream, clock, store });
      await drive(clock, one, 6, 1);
      expect(first.calls.filter((c) => c.provider === 'bad')).toHaveLength(2);
      await flushMicrotasks();
      const second = fakeDownstream(clock, { latency: () => 1 });
      const two = new StageRuntime({ key: 'wf/s', policy: resolveStagePolicy('wf/s', undefined, spec), downstream: second.downstream, clock, store });
      await drive(clock, two, 6, 1);
      expect(second.calls.map((c) => c.provider)).toEqual(['a', 'a', 'a', 'a', 'a', 'a']);
      await clock.advance(60_000);
      await drive(clock, two, 2, 1);
      expect(second.calls.slice(6).map((c) => c.provider)).toContain('bad');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
