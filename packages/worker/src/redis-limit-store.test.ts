import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SharedLimitLease, SharedLimitSpec } from '@ucop/agents';
import { RedisLimitStore } from './redis-limit-store.ts';
import { TEST_REDIS_URL, freshName, redisAvailable, removeKeys } from './testing/redis-for-tests.ts';

const available = await redisAvailable();

describe.skipIf(!available)('RedisLimitStore (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let store: RedisLimitStore;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
    prefix = freshName('limits');
    store = new RedisLimitStore(redis, prefix);
  });
  afterAll(async () => {
    await removeKeys(redis, `${prefix}:*`);
    redis.disconnect();
  });

  const rpm = (key: string, limit: number, extra: Partial<SharedLimitSpec> = {}): SharedLimitSpec => ({ key, windows: [{ name: 'rpm', limit, windowMs: 60_000, measure: 'requests' }], ...extra });

  it('grants up to the window limit, then says when the oldest request leaves the window', async () => {
    const spec = rpm('p:window', 3);
    for (const t of [0, 10, 20]) expect((await store.tryAcquire(spec, {}, 1000 + t, 5000)).granted).toBe(true);
    const refused = await store.tryAcquire(spec, {}, 1030, 5000);
    expect(refused).toEqual({ granted: false, retryAtMs: 61_000, limit: 'rpm', failWhenFull: false });
    expect((await store.tryAcquire(spec, {}, 61_000, 5000)).granted).toBe(true);
  });

  it('never grants the last slot twice when many processes ask at once', async () => {
    const spec = rpm('p:race', 5);
    const others = Array.from({ length: 4 }, () => new RedisLimitStore(new Redis(TEST_REDIS_URL), prefix));
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => others[i % 4]!.tryAcquire(spec, {}, 5000, 5000)));
    expect(results.filter((r) => r.granted)).toHaveLength(5);
    for (const other of others) await other.close();
  });

  it('bounds concurrency with leases that free on release, and expire when their holder died', async () => {
    const spec: SharedLimitSpec = { key: 'p:conc', windows: [], concurrency: 2 };
    const a = await store.tryAcquire(spec, {}, 0, 1000);
    const b = await store.tryAcquire(spec, {}, 0, 2000);
    const full = await store.tryAcquire(spec, {}, 10, 1000);
    expect(full).toMatchObject({ granted: false, limit: 'concurrency', retryAtMs: 1000 });
    if (!a.granted || !b.granted) throw new Error('expected grants');
    await store.release(a.lease, 20);
    expect((await store.tryAcquire(spec, {}, 30, 1000)).granted).toBe(true);
    // The lease taken at 30 was never released: it expired at 1030. b's holder "died": b expires at 2000.
    expect((await store.tryAcquire(spec, {}, 1500, 1000)).granted).toBe(true);
    expect((await store.tryAcquire(spec, {}, 1500, 1000)).granted).toBe(false);
    expect((await store.tryAcquire(spec, {}, 2001, 1000)).granted).toBe(true);
    expect(await store.renew(b.lease, 2001, 1000)).toBe(false);
  });

  it('renews a lease still held', async () => {
    const spec: SharedLimitSpec = { key: 'p:renew', windows: [], concurrency: 1 };
    const a = await store.tryAcquire(spec, {}, 0, 1000);
    if (!a.granted) throw new Error('expected a grant');
    expect(await store.renew(a.lease, 900, 1000)).toBe(true);
    expect((await store.tryAcquire(spec, {}, 1500, 1000)).granted).toBe(false);
  });

  it('a released request counts until one window after its release; a cancelled one not at all', async () => {
    const spec = rpm('p:release', 1);
    const first = await store.tryAcquire(spec, {}, 0, 100_000);
    if (!first.granted) throw new Error('expected a grant');
    await store.release(first.lease, 30_000);
    expect(await store.tryAcquire(spec, {}, 61_000, 1000)).toMatchObject({ granted: false, retryAtMs: 90_000 });
    const other = rpm('p:cancel', 1);
    const c = await store.tryAcquire(other, {}, 0, 1000);
    if (!c.granted) throw new Error('expected a grant');
    await store.cancel(c.lease);
    expect((await store.tryAcquire(other, {}, 1, 1000)).granted).toBe(true);
  });

  it('counts tokens, replaces the estimate with the actual use, and fails at once when a daily budget is full', async () => {
    const spec: SharedLimitSpec = {
      key: 'p:tokens',
      windows: [
        { name: 'tpm', limit: 1000, windowMs: 60_000, measure: 'tokens' },
        { name: 'tpd', limit: 1500, windowMs: 86_400_000, measure: 'tokens', failWhenFull: true },
      ],
    };
    const a = await store.tryAcquire(spec, { tokens: 800 }, 0, 1000);
    if (!a.granted) throw new Error('expected a grant');
    expect(await store.tryAcquire(spec, { tokens: 300 }, 10, 1000)).toMatchObject({ granted: false, limit: 'tpm', retryAtMs: 60_000 });
    await store.release(a.lease, 20, { tokens: 500 });
    const b = await store.tryAcquire(spec, { tokens: 300 }, 30, 1000);
    expect(b.granted).toBe(true);
    // 800 counted in the day (500 + 300); 800 more would pass the daily 1500, which does not wait.
    expect(await store.tryAcquire(spec, { tokens: 800 }, 70_000, 1000)).toMatchObject({ granted: false, limit: 'tpd', failWhenFull: true });
  });

  it('compare-and-sets the breaker state by version', async () => {
    expect(await store.readBreaker('p:breaker')).toBeUndefined();
    expect(await store.writeBreaker('p:breaker', { state: 'closed', failures: 1, version: 0 }, undefined)).toBe(true);
    expect(await store.writeBreaker('p:breaker', { state: 'closed', failures: 2, version: 0 }, undefined)).toBe(false);
    const read = await store.readBreaker('p:breaker');
    expect(read).toEqual({ state: 'closed', failures: 1, version: 1 });
    expect(await store.writeBreaker('p:breaker', { state: 'open', failures: 2, openUntilMs: 5000, version: 2 }, 1)).toBe(true);
    expect(await store.writeBreaker('p:breaker', { state: 'half-open', failures: 0, version: 2 }, 1)).toBe(false);
    expect(await store.readBreaker('p:breaker')).toEqual({ state: 'open', failures: 2, openUntilMs: 5000, version: 2 });
  });
});

// Referenced so that the lease type stays part of what this test checks.
export type { SharedLimitLease };
