import { afterEach, expect, it } from 'vitest';
import type { SharedLimitSpec, SharedLimitStore } from '../shared-limit-store.ts';

/**
 * The behaviour every {@link SharedLimitStore} must have, written once and run against each store (the
 * sqlite store here, the Redis store in @ucop/worker): the limiter is written once against the contract,
 * so the stores must agree on every figure it reads, `retryAtMs` included.
 */

/** One empty shared state (a fresh file, a fresh key prefix) and a way to connect to it as another process would. */
export interface LimitStoreNamespace {
  /** A new connection to the same state: what a second `ucop run` or worker process has. */
  open(): Promise<SharedLimitStore>;
  /** Removes the state (the connections opened are closed by the contract). */
  dispose(): Promise<void>;
}

/**
 * Registers the contract's tests in the current `describe`. `namespace` is called once per test, so that
 * tests never see each other's keys.
 */
export function limitStoreContract(namespace: () => Promise<LimitStoreNamespace>): void {
  const opened: SharedLimitStore[] = [];
  // The promise, not its value: connections opened at once must share one namespace.
  let current: Promise<LimitStoreNamespace> | undefined;
  const open = async (): Promise<SharedLimitStore> => {
    current ??= namespace();
    const store = await (await current).open();
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await (await current)?.dispose();
    current = undefined;
  });

  const rpm = (key: string, limit: number): SharedLimitSpec => ({ key, windows: [{ name: 'rpm', limit, windowMs: 60_000, measure: 'requests' }] });
  const TTL = 30_000;

  it('counts a window across connections; the next slot opens a window after the oldest request ended', async () => {
    const a = await open();
    const b = await open();
    const spec = rpm('provider:stub', 3);
    const first = await a.tryAcquire(spec, {}, 0, TTL);
    expect(first.granted).toBe(true);
    if (first.granted) await a.release(first.lease, 1_000);
    expect((await b.tryAcquire(spec, {}, 2_000, TTL)).granted).toBe(true);
    expect((await a.tryAcquire(spec, {}, 3_000, TTL)).granted).toBe(true);
    expect(await b.tryAcquire(spec, {}, 4_000, TTL)).toEqual({ granted: false, retryAtMs: 61_000, limit: 'rpm', failWhenFull: false });
    expect((await b.tryAcquire(spec, {}, 61_000, TTL)).granted).toBe(true); // the first one's window is over
  });

  it('requests in flight count until a window after they end, however long they last', async () => {
    const store = await open();
    const spec = rpm('p:window', 3);
    const leases = [];
    for (const t of [0, 10, 20]) {
      const granted = await store.tryAcquire(spec, {}, 1000 + t, 100_000);
      if (!granted.granted) throw new Error('expected a grant');
      leases.push(granted.lease);
    }
    // Still in flight: they end now at the earliest, so nothing frees before a window from now.
    expect(await store.tryAcquire(spec, {}, 1030, 100_000)).toEqual({ granted: false, retryAtMs: 61_030, limit: 'rpm', failWhenFull: false });
    // A window after they started, they are still in flight, and still count.
    expect(await store.tryAcquire(spec, {}, 61_030, 100_000)).toMatchObject({ granted: false, retryAtMs: 121_030 });
    for (const lease of leases) await store.release(lease, 70_000);
    expect(await store.tryAcquire(spec, {}, 70_001, 100_000)).toMatchObject({ granted: false, retryAtMs: 130_000 });
    expect((await store.tryAcquire(spec, {}, 130_000, 100_000)).granted).toBe(true);
  });

  it('never grants the last slot twice when many connections ask at once', async () => {
    const spec = rpm('p:race', 5);
    const stores = await Promise.all(Array.from({ length: 4 }, () => open()));
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 4]!.tryAcquire(spec, {}, 5000, 5000)));
    expect(results.filter((r) => r.granted)).toHaveLength(5);
  });

  it('bounds concurrency across connections; release and cancel free the slot', async () => {
    const spec: SharedLimitSpec = { key: 'stage:wf/a', windows: [], concurrency: 2 };
    const a = await open();
    const b = await open();
    const one = await a.tryAcquire(spec, {}, 0, TTL);
    const two = await b.tryAcquire(spec, {}, 0, TTL);
    const three = await a.tryAcquire(spec, {}, 0, TTL);
    expect([one.granted, two.granted, three.granted]).toEqual([true, true, false]);
    // A release elsewhere is not signalled: the caller is told to look again soon, not at the lease's expiry.
    expect(three).toMatchObject({ granted: false, limit: 'concurrency', failWhenFull: false });
    expect(three.granted === false && three.retryAtMs).toBeGreaterThan(0);
    expect(three.granted === false && three.retryAtMs).toBeLessThan(TTL);
    if (one.granted) await a.release(one.lease, 10);
    expect((await b.tryAcquire(spec, {}, 10, TTL)).granted).toBe(true);
    if (two.granted) await b.cancel(two.lease);
    expect((await a.tryAcquire(spec, {}, 11, TTL)).granted).toBe(true);
  });

  it('a lease whose holder died frees its slot at expiry and counts in the window from then; renew keeps it', async () => {
    const spec: SharedLimitSpec = { key: 'p:died', windows: [{ name: 'rpm', limit: 2, windowMs: 60_000, measure: 'requests' }], concurrency: 1 };
    const store = await open();
    const held = await store.tryAcquire(spec, {}, 0, 1_000);
    if (!held.granted) throw new Error('expected a grant');
    expect(await store.renew(held.lease, 900, 1_000)).toBe(true); // now until 1 900
    expect((await store.tryAcquire(spec, {}, 1_500, 1_000)).granted).toBe(false);
    // Not renewed again: at 1 900 it expires, as if its process had died.
    const after = await store.tryAcquire(spec, {}, 2_000, 1_000);
    expect(after.granted).toBe(true);
    expect(await store.renew(held.lease, 2_100, 1_000)).toBe(false);
    if (after.granted) await store.release(after.lease, 2_100);
    // Both count for a window: the dead one from its expiry (1 900), the other from its release.
    expect(await store.tryAcquire(spec, {}, 3_000, 1_000)).toEqual({ granted: false, retryAtMs: 61_900, limit: 'rpm', failWhenFull: false });
  });

  it('a released request counts until one window after its release; a cancelled one not at all', async () => {
    const store = await open();
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
    const store = await open();
    const spec: SharedLimitSpec = {
      key: 'p:tokens',
      windows: [
        { name: 'tpm', limit: 1000, windowMs: 60_000, measure: 'tokens' },
        { name: 'tpd', limit: 1500, windowMs: 86_400_000, measure: 'tokens', failWhenFull: true },
      ],
    };
    const a = await store.tryAcquire(spec, { tokens: 800 }, 0, 1000);
    if (!a.granted) throw new Error('expected a grant');
    expect(await store.tryAcquire(spec, { tokens: 300 }, 10, 1000)).toMatchObject({ granted: false, limit: 'tpm', retryAtMs: 60_010 });
    await store.release(a.lease, 20, { tokens: 500 });
    expect((await store.tryAcquire(spec, { tokens: 300 }, 30, 1000)).granted).toBe(true);
    // 800 counted in the day (500 + 300); 800 more would pass the daily 1500, which does not wait.
    expect(await store.tryAcquire(spec, { tokens: 800 }, 70_000, 1000)).toMatchObject({ granted: false, limit: 'tpd', failWhenFull: true });
  });

  it('a budget (fail when full) is not renewed by a new connection: a later process gets nothing', async () => {
    const budget: SharedLimitSpec = { key: 'p:budget', windows: [{ name: '3/1h', limit: 3, windowMs: 3_600_000, measure: 'requests', failWhenFull: true }] };
    const firstRun = await open();
    for (let i = 0; i < 3; i++) {
      const result = await firstRun.tryAcquire(budget, {}, i * 1000, TTL);
      if (result.granted) await firstRun.release(result.lease, i * 1000 + 500);
    }
    const secondRun = await open();
    expect(await secondRun.tryAcquire(budget, {}, 10_000, TTL)).toEqual({ granted: false, retryAtMs: 3_600_500, limit: '3/1h', failWhenFull: true });
  });

  it('a budget held by a request in flight frees a window from now at the earliest', async () => {
    const store = await open();
    const budget: SharedLimitSpec = { key: 'p:held', windows: [{ name: '1/1h', limit: 1, windowMs: 3_600_000, measure: 'requests', failWhenFull: true }] };
    expect((await store.tryAcquire(budget, {}, 0, TTL)).granted).toBe(true);
    expect(await store.tryAcquire(budget, {}, 10, TTL)).toEqual({ granted: false, retryAtMs: 3_600_010, limit: '1/1h', failWhenFull: true });
  });

  it('keeps breaker state with compare-and-set by version, across connections', async () => {
    const a = await open();
    const b = await open();
    expect(await a.readBreaker('provider:x')).toBeUndefined();
    expect(await a.writeBreaker('provider:x', { state: 'open', failures: 5, openUntilMs: 100, version: 1 }, undefined)).toBe(true);
    expect(await b.writeBreaker('provider:x', { state: 'closed', failures: 0, version: 1 }, undefined)).toBe(false);
    expect(await b.readBreaker('provider:x')).toEqual({ state: 'open', failures: 5, openUntilMs: 100, version: 1 });
    expect(await b.writeBreaker('provider:x', { state: 'half-open', failures: 5, version: 2 }, 1)).toBe(true);
    expect(await a.writeBreaker('provider:x', { state: 'closed', failures: 0, version: 2 }, 1)).toBe(false);
    expect((await a.readBreaker('provider:x'))?.state).toBe('half-open');
  });
}
