import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks, isUcopError } from '@ucop/core';
import { openSqliteLimitStore } from '../limits/sqlite-limit-store.ts';
import type { SharedLimitStore } from '../limits/shared-limit-store.ts';
import type { LimitWait } from '../limits/shared-limiter.ts';
import { createProviderRouter } from './provider-router.ts';
import { DEFAULT_BREAKER, DEFAULT_RETRY } from './provider-config.ts';
import type { ProvidersConfig } from './provider-config.ts';
import { scriptedAdapter } from './testing/scripted-adapter.ts';

// Two routers on one limit file stand for two `ucop run` processes: the provider's limits hold between them.
let dir: string;
const stores: SharedLimitStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-router-shared-'));
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const live = (): AbortSignal => new AbortController().signal;
const config = (limits: { rpm?: number; concurrency?: number }): ProvidersConfig => ({
  providers: [{ name: 'p', kind: 'openai-compatible', model: 'm', baseUrl: 'http://127.0.0.1:1/v1', limits: { adaptive: false, windowMs: 60_000, ...limits }, cost: { inputPerMtok: 0, outputPerMtok: 0 }, timeoutMs: 600_000 }],
  fallback: [],
  retry: { ...DEFAULT_RETRY },
  breaker: { ...DEFAULT_BREAKER },
});

async function process(clock: FakeClock, limits: { rpm?: number; concurrency?: number }, options: { wait?: boolean; onWait?: (w: LimitWait) => void } = {}) {
  const store = await openSqliteLimitStore(join(dir, 'limits.sqlite'));
  stores.push(store);
  const adapter = scriptedAdapter('p', [{ kind: 'answer', text: 'ok', delayMs: 1_000 }], { clock });
  const router = createProviderRouter({ adapters: [adapter], config: config(limits), clock, limitStore: store, ...(options.wait === undefined ? {} : { limitWait: options.wait }), ...(options.onWait ? { onLimitWait: options.onWait } : {}) });
  return { router, adapter };
}

describe('provider limits through a shared store', () => {
  it('concurrency holds across two routers (processes)', async () => {
    const clock = new FakeClock();
    const waits: LimitWait[] = [];
    const a = await process(clock, { concurrency: 2 }, { onWait: (w) => waits.push(w) });
    const b = await process(clock, { concurrency: 2 });
    const calls = [...Array.from({ length: 3 }, () => a.router.generate({ prompt: 'x' }, live())), ...Array.from({ length: 3 }, () => b.router.generate({ prompt: 'y' }, live()))];
    let inFlight = 0;
    for (let t = 0; t < 400; t++) {
      await clock.advance(25);
      await flushMicrotasks();
      const started = a.adapter.calls.length + b.adapter.calls.length;
      const finished = a.adapter.calls.filter((c) => clock.now() - c.at >= 1_000).length + b.adapter.calls.filter((c) => clock.now() - c.at >= 1_000).length;
      inFlight = Math.max(inFlight, started - finished);
    }
    await Promise.all(calls);
    expect(a.adapter.calls.length + b.adapter.calls.length).toBe(6);
    expect(inFlight).toBe(2);
    expect(waits.some((w) => w.key === 'provider:p' && w.limit === 'concurrency')).toBe(true);
  });

  it('an rpm window used by one router makes the other wait; with wait off it fails with RATE_LIMIT_NO_WAIT', async () => {
    const clock = new FakeClock();
    const a = await process(clock, { rpm: 1 });
    const first = a.router.generate({ prompt: 'x' }, live());
    await clock.advance(1_000);
    await first;
    const b = await process(clock, { rpm: 1 }, { wait: false });
    const refused = await b.router.generate({ prompt: 'y' }, live()).catch((e: unknown) => e);
    expect(isUcopError(refused) && refused.code).toBe('RATE_LIMIT_NO_WAIT');
    expect(b.adapter.calls).toHaveLength(0);
  });
});
