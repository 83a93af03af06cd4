import { describe, it, expect } from 'vitest';
import { checkExactlyOnce, compareInvocations } from './exactly-once.ts';
import { createCoreHarness } from '../../bench/core-harness.ts';
import { runsTwiceSimAgents } from '../testing/broken-harness.ts';

describe('checkExactlyOnce', () => {
  it('passes on the real engines', async () => {
    const result = await checkExactlyOnce(createCoreHarness());
    expect(result.reason).toBe('23 (step, item, attempt) invocations, each exactly once, in both engines');
    expect(result.ok).toBe(true);
  });

  it('fails when the agent runs twice per invocation, naming the duplicated attempts', async () => {
    const result = await checkExactlyOnce({ ...createCoreHarness(), simAgents: runsTwiceSimAgents });
    expect(result.ok).toBe(false);
    expect(result.reason).toContain('parallel engine: list attempt 1 ran 2 times');
    expect(result.reason).toMatch(/fan\[0\] attempt 1 ran 2 times/);
    expect(result.reason).toContain('(each attempt must run once)');
  });
});

describe('compareInvocations', () => {
  const expected = [
    { stepId: 'a', itemIndex: undefined, attempt: 1 },
    { stepId: 'b', itemIndex: 0, attempt: 1 },
  ];
  const record = (stepId: string, itemIndex: number | undefined, attempt: number) => ({ runId: 'r', stepId, itemIndex, attempt, startedAt: 0, endedAt: 1, outcome: 'ok' as const });

  it('finds duplicated, missing and unexpected invocations', () => {
    expect(compareInvocations(expected, [record('a', undefined, 1), record('a', undefined, 1), record('c', undefined, 2)])).toEqual({
      duplicated: ['a attempt 1 ran 2 times'],
      missing: ['b[0] attempt 1'],
      unexpected: ['c attempt 2'],
    });
  });
});
