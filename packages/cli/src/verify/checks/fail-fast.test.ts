import { describe, it, expect } from 'vitest';
import { checkFailFast } from './fail-fast.ts';
import { createCoreHarness } from '../../bench/core-harness.ts';
import { lettingSiblingsFinish } from '../testing/broken-harness.ts';

describe('checkFailFast', () => {
  it('passes on the real engine', async () => {
    const result = await checkFailFast(createCoreHarness());
    expect(result.reason).toMatch(/^"boom" failed, siblings slow and stubborn were cancelled after \d+ ms, their late writes refused$/);
    expect(result.ok).toBe(true);
  });

  it('fails when siblings are let finish and write, naming them and the committed state', async () => {
    const harness = createCoreHarness();
    const result = await checkFailFast({ ...harness, run: lettingSiblingsFinish(harness.run) });
    expect(result.ok).toBe(false);
    expect(result.reason).toContain('siblings were not cancelled: slow ended succeeded, stubborn ended succeeded');
    expect(result.reason).toContain('late writes were committed: state "marks" is ["slow","stubborn"]');
  });
});
