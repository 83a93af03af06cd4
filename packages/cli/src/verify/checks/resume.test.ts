import { describe, it, expect } from 'vitest';
import { checkResume } from './resume.ts';
import { createCoreHarness } from '../../bench/core-harness.ts';
import { rerunningOnResume } from '../testing/broken-harness.ts';

describe('checkResume', () => {
  it('passes on the real engine', async () => {
    const result = await checkResume(createCoreHarness());
    expect(result.reason).toMatch(/^the second run invoked nothing \(the first made 6 invocations\)/);
    expect(result.ok).toBe(true);
  });

  it('fails when resume reruns finished steps, naming them', async () => {
    const harness = createCoreHarness();
    const result = await checkResume({ ...harness, run: rerunningOnResume(harness.run) });
    expect(result.ok).toBe(false);
    expect(result.reason).toContain('resume reran 6 invocation(s): fetch, ');
    expect(result.reason).toContain('run records not marked resumed');
  });
});
