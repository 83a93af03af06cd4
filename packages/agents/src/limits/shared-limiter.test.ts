import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks, isUcopError } from '@ucop/core';
import { openSqliteLimitStore } from './sqlite-limit-store.ts';
import { SharedLimiter } from './shared-limiter.ts';
import type { LimitWait } from './shared-limiter.ts';
import type { SharedLimitSpec, SharedLimitStore } from './shared-limit-store.ts';

let dir: string;
let store: SharedLimitStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-limiter-'));
  store = await openSqliteLimitStore(join(dir, 'limits.sqlite'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const live = (): AbortSignal => new AbortController().signal;
const settled = async (clock: FakeClock, ms: number): Promise<void> => {
  await clock.advance(ms);
  await flushMicrotasks();
};

describe('SharedLimiter', () => {
  it('waits until the window has room, saying for which limit and how long', async () => {
    const clock = new FakeClock();
    const waits: LimitWait[] = [];
    const spec: SharedLimitSpec = { key: 'stage:wf/s', windows: [{ name: 'rpm', limit: 2, windowMs: 60_000, measure: 'requests' }] };
    const limiter = new SharedLimiter({ store, spec, clock, onWait: (w) => waits.push(w) });
    for (let i = 0; i < 2; i++) await (await limiter.acquire({}, live())).release();
    let granted = false;
    const third = limiter.acquire({}, live()).then((p) => {
      granted = true;
      return p;
    });
    await settled(clock, 0);
    expect(waits).toEqual([{ key: 'stage:wf/s', limit: 'rpm', waitMs: 60_000 }]);
    await settled(clock, 59_999);
    expect(granted).toBe(false);
    await settled(clock, 1);
    expect(granted).toBe(true);
    expect((await third).waitedMs).toBe(60_000);
  });

  it('an abort ends the wait at once', async () => {
    const clock = new FakeClock();
    const spec: SharedLimitSpec = { key: 'k', windows: [], concurrency: 1 };
    const limiter = new SharedLimiter({ store, spec, clock });
    await limiter.acquire({}, live());
    const controller = new AbortController();
    const waiting = limiter.acquire({}, controller.signal);
    await settled(clock, 100);
    controller.abort(new Error('step timeout'));
    await expect(waiting).rejects.toThrow('step timeout');
  });

  it('no-wait fails fast with RATE_LIMIT_NO_WAIT; a full budget fails with PROVIDER_QUOTA_EXHAUSTED', async () => {
    const clock = new FakeClock();
    const full = new SharedLimiter({ store, clock, wait: false, spec: { key: 'a', windows: [{ name: 'rpm', limit: 1, windowMs: 60_000, measure: 'requests' }] } });
    await (await full.acquire({}, live())).release();
    const noWait = await full.acquire({}, live()).catch((e: unknown) => e);
    expect(isUcopError(noWait) && [noWait.code, noWait.fields.limit, noWait.fields.retryAfterMs]).toEqual(['RATE_LIMIT_NO_WAIT', 'rpm', 60_000]);
    const budget = new SharedLimiter({ store, clock, spec: { key: 'b', windows: [{ name: '1/1h', limit: 1, windowMs: 3_600_000, measure: 'requests', failWhenFull: true }] } });
    await (await budget.acquire({}, live())).release();
    const exhausted = await budget.acquire({}, live()).catch((e: unknown) => e);
    expect(isUcopError(exhausted) && exhausted.code).toBe('PROVIDER_QUOTA_EXHAUSTED');
  });

  it('renews the lease of a long call, so another process cannot take its slot', async () => {
    const clock = new FakeClock();
    const spec: SharedLimitSpec = { key: 'c', windows: [], concurrency: 1 };
    const mine = new SharedLimiter({ store, spec, clock, leaseTtlMs: 3_000 });
    const other = await openSqliteLimitStore(join(dir, 'limits.sqlite'));
    try {
      const permit = await mine.acquire({}, live());
      for (let t = 0; t < 10; t++) await settled(clock, 1_000);
      expect((await other.tryAcquire(spec, {}, clock.now(), 3_000)).granted).toBe(false);
      await permit.release();
      expect((await other.tryAcquire(spec, {}, clock.now(), 3_000)).granted).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('takes waiting requests in arrival order', async () => {
    const clock = new FakeClock();
    const spec: SharedLimitSpec = { key: 'd', windows: [], concurrency: 1 };
    const limiter = new SharedLimiter({ store, spec, clock });
    const first = await limiter.acquire({}, live());
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => limiter.acquire({}, live()).then(async (p) => {
      order.push(n);
      await settled(clock, 0);
      await p.release();
    }));
    await first.release();
    for (let i = 0; i < 10; i++) await settled(clock, 25);
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });
});
