import { describe, it, expect } from 'vitest';
import { checkTimeouts } from './timeouts.ts';
import { createCoreHarness } from '../../bench/core-harness.ts';
import { ignoringTimeouts } from '../testing/broken-harness.ts';

describe('checkTimeouts', () => {
  it('passes on the real engine: both hanging steps stop and are reported as STEP_TIMEOUT', async () => {
    // A wide tolerance: the unit project shares the CPU with other test files. A 60 s hang is far beyond it.
    const result = await checkTimeouts(createCoreHarness(), undefined, { toleranceMs: 1000 });
    expect(result.reason).toMatch(/^a 60 s step under a 200 ms timeout stopped after \d+ ms \(\d+ ms when the agent ignores the abort\), reported as STEP_TIMEOUT$/);
    expect(result.ok).toBe(true);
  });

  it('fails when the engine ignores the timeout, saying the step was not stopped', async () => {
    const harness = createCoreHarness();
    const result = await checkTimeouts({ ...harness, run: ignoringTimeouts(harness.run) }, undefined, { hangMs: 800 });
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/agent honouring the abort: the run was still going \d+ ms after start, the 200 ms step timeout did not stop the step/);
    expect(result.reason).toMatch(/agent ignoring the abort: /);
  });
});
