import { describe, it, expect } from 'vitest';
import { FakeClock, UcopError, flushMicrotasks, isUcopError } from '@ucop/core';
import { ProviderCircuitBreaker } from './circuit-breaker.ts';
import type { CircuitStateName } from './circuit-breaker.ts';

const live = (): AbortSignal => new AbortController().signal;
const serverError = (): UcopError => new UcopError('PROVIDER_HTTP', 'HTTP 500', { fields: { status: 500 }, retryable: true });

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  return isUcopError(error) ? error.code : undefined;
}

function setup(failureThreshold = 3, halfOpenAfterMs = 1000) {
  const clock = new FakeClock();
  const transitions: CircuitStateName[] = [];
  const breaker = new ProviderCircuitBreaker('p', { clock, failureThreshold, halfOpenAfterMs, onStateChange: (s) => transitions.push(s) });
  let calls = 0;
  const fail = () => breaker.execute(async () => {
    calls++;
    throw serverError();
  }, live());
  const succeed = () => breaker.execute(async () => {
    calls++;
    return 'ok';
  }, live());
  return { clock, breaker, transitions, fail, succeed, calls: () => calls };
}

describe('ProviderCircuitBreaker', () => {
  it('opens after N consecutive failures and then refuses calls without making them', async () => {
    const t = setup(3);
    for (let i = 0; i < 3; i++) expect(await codeOf(t.fail())).toBe('PROVIDER_HTTP');
    expect(t.breaker.state).toBe('open');
    expect(await codeOf(t.succeed())).toBe('PROVIDER_CIRCUIT_OPEN');
    expect(t.calls()).toBe(3);
    expect(t.transitions).toEqual(['open']);
  });

  it('does not count 429s, 4xx or successes in between', async () => {
    const t = setup(2);
    const rateLimited = () => t.breaker.execute(async () => {
      throw new UcopError('PROVIDER_RATE_LIMITED', '429', { retryable: true });
    }, live());
    const badRequest = () => t.breaker.execute(async () => {
      throw new UcopError('PROVIDER_HTTP', '400', { fields: { status: 400 }, retryable: false });
    }, live());
    for (let i = 0; i < 5; i++) {
      await codeOf(rateLimited());
      await codeOf(badRequest());
    }
    await codeOf(t.fail());
    await t.succeed();
    await codeOf(t.fail());
    expect(t.breaker.state).toBe('closed');
  });

  it('lets exactly one probe through after the pause; others are refused while it runs; success closes', async () => {
    const t = setup(1, 1000);
    await codeOf(t.fail());
    await t.clock.advance(999);
    expect(await codeOf(t.succeed())).toBe('PROVIDER_CIRCUIT_OPEN');
    await t.clock.advance(1);
    expect(t.breaker.state).toBe('half-open');

    let finishProbe!: () => void;
    const probe = t.breaker.execute(() => new Promise<string>((resolve) => (finishProbe = () => resolve('probe ok'))), live());
    await flushMicrotasks();
    const during = await codeOf(t.succeed());
    expect(during).toBe('PROVIDER_CIRCUIT_OPEN');
    finishProbe();
    expect(await probe).toBe('probe ok');
    expect(t.breaker.state).toBe('closed');
    expect(await t.succeed()).toBe('ok');
    expect(t.transitions).toEqual(['open', 'half-open', 'closed']);
  });

  it('opens again when the probe fails, for another full pause', async () => {
    const t = setup(1, 1000);
    await codeOf(t.fail());
    await t.clock.advance(1000);
    expect(await codeOf(t.fail())).toBe('PROVIDER_HTTP');
    expect(t.breaker.state).toBe('open');
    await t.clock.advance(999);
    expect(await codeOf(t.succeed())).toBe('PROVIDER_CIRCUIT_OPEN');
    await t.clock.advance(1);
    expect(await t.succeed()).toBe('ok');
    expect(t.transitions).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('tells how long until the probe in the refusal', async () => {
    const t = setup(1, 1000);
    await codeOf(t.fail());
    await t.clock.advance(400);
    const error: unknown = await t.succeed().catch((e: unknown) => e);
    expect(isUcopError(error) && error.fields).toMatchObject({ state: 'open', retryAfterMs: 600 });
    expect(t.breaker.refusing).toBe(true);
  });
});
