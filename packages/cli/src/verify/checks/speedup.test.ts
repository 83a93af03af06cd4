import { describe, it, expect } from 'vitest';
import type { Clock, RunRecord } from '@ucop/core';
import { checkSpeedup } from './speedup.ts';
import { createCoreHarness } from '../../bench/core-harness.ts';
import { sequentialWhenParallel } from '../testing/broken-harness.ts';
import type { EngineRunner } from '../../bench/engine-harness.ts';
import type { EngineCheckDeps } from '../engine-check-deps.ts';

/** A clock that only moves when told: the fake engine below advances it by the time a run "takes". */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  return { now: () => now, sleep: async () => {}, advance: (ms) => (now += ms) };
}

/** An engine that takes `parallelMs` in parallel and `sequentialMs` sequentially, on the manual clock. */
function fakeEngine(clock: { advance(ms: number): void }, parallelMs: number, sequentialMs: number): EngineRunner {
  return async (request) => {
    clock.advance(request.engine === 'parallel' ? parallelMs : sequentialMs);
    return { record: { status: 'succeeded', errors: [], steps: [] } as unknown as RunRecord, state: {} };
  };
}

function fakeDeps(parallelMs: number, sequentialMs: number): EngineCheckDeps {
  const clock = manualClock();
  return { ...createCoreHarness(), clock, run: fakeEngine(clock, parallelMs, sequentialMs) };
}

describe('checkSpeedup (injected clock)', () => {
  it('passes within the tolerance of the 240 ms lower bound and above 0.8 x the ideal 4x speedup', async () => {
    const result = await checkSpeedup(fakeDeps(260, 960));
    expect(result.ok).toBe(true);
    expect(result.reason).toBe('260 ms against a 240 ms lower bound (+8.3%), 3.69x faster than sequential (ideal 4.0x)');
  });

  it('fails beyond the tolerance, and the tolerance is configurable', async () => {
    const result = await checkSpeedup(fakeDeps(300, 1200));
    expect(result.ok).toBe(false);
    expect(result.reason).toBe('the parallel engine took 300 ms, 25.0% above the 240 ms lower bound (tolerance 15.0%)');
    expect((await checkSpeedup(fakeDeps(300, 1200), undefined, { tolerance: 0.3 })).ok).toBe(true);
  });

  it('fails when the speedup over sequential is short of the expected factor', async () => {
    const result = await checkSpeedup(fakeDeps(250, 700));
    expect(result.ok).toBe(false);
    expect(result.reason).toBe('speedup over sequential is 2.80x, below 3.20x (0.8 x the ideal 4.0x)');
  });
});

describe('checkSpeedup (real engine)', () => {
  it('passes on the real engine', async () => {
    // The unit project shares the CPU with other test files: a generous tolerance here; the performance
    // project holds the engine to the tight figures.
    const result = await checkSpeedup(createCoreHarness(), undefined, { tolerance: 0.5, speedupFactor: 0.6 });
    expect(result.ok).toBe(true);
  });

  it('fails when the engine runs sequentially although asked for parallel', async () => {
    const harness = createCoreHarness();
    const result = await checkSpeedup({ ...harness, run: sequentialWhenParallel(harness.run) }, undefined, { repeats: 1 });
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/^the parallel engine took \d+ ms, \d+\.\d% above the 240 ms lower bound \(tolerance 15\.0%\); speedup over sequential is (0\.9|1\.0)\dx, below 3\.20x/);
  });
});
