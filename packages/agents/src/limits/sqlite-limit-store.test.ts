import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteLimitStore } from './sqlite-limit-store.ts';
import type { SharedLimitSpec, SharedLimitStore } from './shared-limit-store.ts';

let dir: string;
const stores: SharedLimitStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-limits-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

// Each open is a separate connection to the file: what a second `ucop run` process has.
async function open(): Promise<SharedLimitStore> {
  const store = await openSqliteLimitStore(join(dir, 'nested', 'limits.sqlite'));
  stores.push(store);
  return store;
}

const rpm3: SharedLimitSpec = { key: 'provider:stub', windows: [{ name: 'rpm', limit: 3, windowMs: 60_000, measure: 'requests' }] };
const TTL = 30_000;

describe('the sqlite limit store', () => {
  it('counts a window across connections; the next slot opens a window after the oldest request ended', async () => {
    const a = await open();
    const b = await open();
    const first = await a.tryAcquire(rpm3, {}, 0, TTL);
    expect(first.granted).toBe(true);
    if (first.granted) await a.release(first.lease, 1_000);
    expect((await b.tryAcquire(rpm3, {}, 2_000, TTL)).granted).toBe(true);
    expect((await a.tryAcquire(rpm3, {}, 3_000, TTL)).granted).toBe(true);
    const refused = await b.tryAcquire(rpm3, {}, 4_000, TTL);
    expect(refused).toEqual({ granted: false, retryAtMs: 61_000, limit: 'rpm', failWhenFull: false });
    expect((await b.tryAcquire(rpm3, {}, 61_000, TTL)).granted).toBe(true); // the first one's window is over
  });

  it('bounds concurrency across connections; release and cancel free the slot', async () => {
    const spec: SharedLimitSpec = { key: 'stage:wf/a', windows: [], concurrency: 2 };
    const a = await open();
    const b = await open();
    const one = await a.tryAcquire(spec, {}, 0, TTL);
    const two = await b.tryAcquire(spec, {}, 0, TTL);
    const three = await a.tryAcquire(spec, {}, 0, TTL);
    expect([one.granted, two.granted, three.granted]).toEqual([true, true, false]);
    expect(three.granted === false && three.limit).toBe('concurrency');
    if (one.granted) await a.release(one.lease, 10);
    expect((await b.tryAcquire(spec, {}, 10, TTL)).granted).toBe(true);
    if (two.granted) await b.cancel(two.lease);
    expect((await a.tryAcquire(spec, {}, 11, TTL)).granted).toBe(true);
  });

  it('a budget (fail when full) is not renewed by a new connection: the second run gets nothing', async () => {
    const budget: SharedLimitSpec = { key: 'stage:wf/a', windows: [{ name: '3/1h', limit: 3, windowMs: 3_600_000, measure: 'requests', failWhenFull: true }] };
    const firstRun = await open();
    for (let i = 0; i < 3; i++) {
      const result = await firstRun.tryAcquire(budget, {}, i * 1000, TTL);
      if (result.granted) await firstRun.release(result.lease, i * 1000 + 500);
    }
    await firstRun.close();
    const secondRun = await open();
    const refused = await secondRun.tryAcquire(budget, {}, 10_000, TTL);
    expect(refused).toEqual({ granted: false, retryAtMs: 3_600_500, limit: '3/1h', failWhenFull: true });
  });

  it('a lease whose holder died frees its slot at expiry and counts in the window from then; renew keeps it', async () => {
    const spec: SharedLimitSpec = { key: 'k', windows: [{ name: 'rpm', limit: 2, windowMs: 60_000, measure: 'requests' }], concurrency: 1 };
    const store = await open();
    const held = await store.tryAcquire(spec, {}, 0, 1_000);
    expect(held.granted).toBe(true);
    if (!held.granted) return;
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

  it('token windows use the estimate while in flight and the actual tokens after release', async () => {
    const spec: SharedLimitSpec = { key: 't', windows: [{ name: 'tpm', limit: 1000, windowMs: 60_000, measure: 'tokens' }] };
    const store = await open();
    const a = await store.tryAcquire(spec, { tokens: 900 }, 0, TTL);
    expect((await store.tryAcquire(spec, { tokens: 200 }, 1, TTL)).granted).toBe(false);
    if (a.granted) await store.release(a.lease, 2, { tokens: 300 });
    expect((await store.tryAcquire(spec, { tokens: 600 }, 3, TTL)).granted).toBe(true);
  });

  it('keeps breaker state with compare-and-set', async () => {
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
});

describe('a budget held by requests in flight', () => {
  it('says it frees a window from now at the earliest, not at the next poll', async () => {
    const store = await open();
    const budget: SharedLimitSpec = { key: 'b', windows: [{ name: '1/1h', limit: 1, windowMs: 3_600_000, measure: 'requests', failWhenFull: true }] };
    expect((await store.tryAcquire(budget, {}, 0, TTL)).granted).toBe(true);
    expect(await store.tryAcquire(budget, {}, 10, TTL)).toEqual({ granted: false, retryAtMs: 3_600_010, limit: '1/1h', failWhenFull: true });
  });
});
