import { describe, it, expect } from 'vitest';
import { formatEventLine } from './event-line.ts';

describe('formatEventLine', () => {
  it('prints run start and finish', () => {
    expect(formatEventLine({ type: 'run.started', runId: 'r1', workflow: 'wf', engine: 'sequential', steps: 3, at: 0 })).toBe(
      '[   0.00s] run r1 started: wf (sequential, 3 steps)',
    );
    expect(formatEventLine({ type: 'run.finished', runId: 'r1', status: 'timed_out', at: 1500, wallMs: 1500 })).toBe('[   1.50s] run timed_out in 1.5s');
  });

  it('shows how long a step took when its start is known', () => {
    const starts = new Map([['section[1]', 200]]);
    expect(formatEventLine({ type: 'step.succeeded', stepId: 'section', itemIndex: 1, attempt: 1, at: 450 }, starts)).toBe(
      '[   0.45s] section[1] succeeded in 250ms',
    );
  });

  it('names failures, retries, skips and resumed steps', () => {
    expect(
      formatEventLine({ type: 'step.failed', stepId: 'a', attempt: 3, at: 10, error: { code: 'STEP_TIMEOUT', message: 'took too long' }, continued: true }),
    ).toBe('[   0.01s] a failed: STEP_TIMEOUT took too long (continue_on_error: the run goes on)');
    expect(
      formatEventLine({ type: 'step.retrying', stepId: 'a', attempt: 1, at: 10, delayMs: 1000, error: { code: 'AGENT_ERROR', message: 'boom' } }),
    ).toBe('[   0.01s] a attempt 1 failed (AGENT_ERROR boom); retrying in 1.0s');
    expect(formatEventLine({ type: 'step.skipped', stepId: 'b', at: 10, reason: 'dependency a failed' })).toBe('[   0.01s] b skipped: dependency a failed');
    expect(formatEventLine({ type: 'step.succeeded', stepId: 'c', attempt: 1, at: 0, resumed: true })).toContain('c resumed from the previous run');
  });

  it('stays quiet on step.ready', () => {
    expect(formatEventLine({ type: 'step.ready', stepId: 'a', at: 0 })).toBeUndefined();
  });
});
