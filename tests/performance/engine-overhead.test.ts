import { describe, it, expect } from 'vitest';
import { createCoreHarness, measureWorkload, noopWorkload } from '../../packages/cli/src/bench/index.ts';
import { recordPerfCase } from './perf-report.ts';

/**
 * The engine's own cost per step: 10,000 independent sim.noop steps (no run directory, so no file I/O),
 * wall time / steps, best of three. The engine's target is 20 µs per step on an idle machine; the assertion
 * leaves room for a loaded 2-core CI machine, and the figure goes to reports/perf/ for tracking.
 */
const STEPS = 10_000;
const MAX_OVERHEAD_US = 60;

describe('engine overhead', () => {
  it(`${STEPS} no-op steps: per-step overhead of both engines`, async () => {
    const m = await measureWorkload(noopWorkload(STEPS), createCoreHarness(), { repeats: 3, sequentialRepeats: 3 });
    const parallelUs = (m.parallelMs / STEPS) * 1000;
    const sequentialUs = ((m.sequentialMs ?? Number.NaN) / STEPS) * 1000;
    await recordPerfCase('overhead.noop_10000', {
      steps: STEPS,
      parallelMs: Math.round(m.parallelMs),
      parallelRunsMs: m.parallelRunsMs.map(Math.round),
      sequentialMs: Math.round(m.sequentialMs ?? 0),
      parallelOverheadPerStepUs: Math.round(parallelUs * 10) / 10,
      sequentialOverheadPerStepUs: Math.round(sequentialUs * 10) / 10,
    });
    expect(parallelUs, `parallel engine: ${parallelUs.toFixed(1)} µs per no-op step`).toBeLessThan(MAX_OVERHEAD_US);
    expect(sequentialUs, `sequential engine: ${sequentialUs.toFixed(1)} µs per no-op step`).toBeLessThan(MAX_OVERHEAD_US);
  });
});
