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
    // Long calls: still in flight (leases held) when the window moves on.
    for (const t of [0, 10, 20]) expect((await store.tryAcquire(spec, {}, 1000 + t, 100_000)).granted).toBe(true);
    const refused = await store.tryAcquire(spec, {}, 1030, 100_000);
    expect(refused).toEqual({ granted: false, retryAtMs: 61_000, limit: 'rpm', failWhenFull: false });
    expect((await store.tryAcquire(spec, {}, 61_000, 100_000)).granted).toBe(true);
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
    // Not the lease's expiry (a TTL away): a release elsewhere is not signalled, so the caller looks again soon.
    expect(full).toMatchObject({ granted: false, limit: 'concurrency', retryAtMs: 35 });
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
    const other = new RedisLimitStore(new Redis(TEST_REDIS_URL), prefix);
    expect(await store.readBreaker('p:breaker')).toBeUndefined();
    expect(await store.writeBreaker('p:breaker', { state: 'open', failures: 5, openUntilMs: 100, version: 1 }, undefined)).toBe(true);
    expect(await other.writeBreaker('p:breaker', { state: 'closed', failures: 0, version: 1 }, undefined)).toBe(false);
    expect(await other.readBreaker('p:breaker')).toEqual({ state: 'open', failures: 5, openUntilMs: 100, version: 1 });
    expect(await other.writeBreaker('p:breaker', { state: 'half-open', failures: 5, version: 2 }, 1)).toBe(true);
    expect(await store.writeBreaker('p:breaker', { state: 'closed', failures: 0, version: 2 }, 1)).toBe(false);
    expect((await store.readBreaker('p:breaker'))?.state).toBe('half-open');
  });

  it('a lease whose holder died frees its slot at expiry and counts in the window from then; renew keeps it', async () => {
    const spec: SharedLimitSpec = { key: 'p:died', windows: [{ name: 'rpm', limit: 2, windowMs: 60_000, measure: 'requests' }], concurrency: 1 };
    const held = await store.tryAcquire(spec, {}, 0, 1_000);
    if (!held.granted) throw new Error('expected a grant');
    expect(await store.renew(held.lease, 900, 1_000)).toBe(true); // now until 1 900
    expect((await store.tryAcquire(spec, {}, 1_500, 1_000)).granted).toBe(false);
    const after = await store.tryAcquire(spec, {}, 2_000, 1_000);
    expect(after.granted).toBe(true);
    expect(await store.renew(held.lease, 2_100, 1_000)).toBe(false);
    if (after.granted) await store.release(after.lease, 2_100);
    // Both count for a window: the dead one from its expiry (1 900), the other from its release.
    expect(await store.tryAcquire(spec, {}, 3_000, 1_000)).toEqual({ granted: false, retryAtMs: 61_900, limit: 'rpm', failWhenFull: false });
  });

  it('a budget that fails when full is kept in Redis: a later process gets nothing', async () => {
    const budget: SharedLimitSpec = { key: 'p:budget', windows: [{ name: '3/1h', limit: 3, windowMs: 3_600_000, measure: 'requests', failWhenFull: true }] };
    for (let i = 0; i < 3; i++) {
      const result = await store.tryAcquire(budget, {}, i * 1000, 30_000);
      if (result.granted) await store.release(result.lease, i * 1000 + 500);
    }
    const later = new RedisLimitStore(new Redis(TEST_REDIS_URL), prefix);
    expect(await later.tryAcquire(budget, {}, 10_000, 30_000)).toEqual({ granted: false, retryAtMs: 3_600_500, limit: '3/1h', failWhenFull: true });
  });
});

// Referenced so that the lease type stays part of what this test checks.
export type { SharedLimitLease };
