import { describe, it, expect } from 'vitest';
import type { RunEvent } from '@ucop/core';
import { ProgressTracker, estimateRemainingMs } from './progress-tracker.ts';

const started: RunEvent = { type: 'run.started', runId: 'r1', workflow: 'wf', engine: 'parallel', steps: 4, at: 0 };

function track(events: RunEvent[], estimates?: Record<string, number>): ProgressTracker {
  const tracker = new ProgressTracker({ workflow: 'wf', steps: ['a', 'b', 'c', 'd'], ...(estimates ? { estimates } : {}) });
  for (const event of events) tracker.apply(event);
  return tracker;
}

describe('ProgressTracker', () => {
  it('counts done, running, failed and skipped steps', () => {
    const snapshot = track([
      started,
      { type: 'step.started', stepId: 'a', attempt: 1, at: 1, queueWaitMs: 0 },
      { type: 'step.started', stepId: 'b', attempt: 1, at: 2, queueWaitMs: 0 },
      { type: 'step.succeeded', stepId: 'a', attempt: 1, at: 10 },
      { type: 'step.failed', stepId: 'b', attempt: 1, at: 11, error: { code: 'AGENT_ERROR', message: 'x' }, continued: false },
      { type: 'step.skipped', stepId: 'd', at: 11, reason: 'dependency b failed' },
      { type: 'step.started', stepId: 'c', attempt: 1, at: 12, queueWaitMs: 0 },
    ]).snapshot();
    expect(snapshot).toMatchObject({ totalSteps: 4, done: 1, failed: 1, skipped: 1, engine: 'parallel', finished: false });
    expect(snapshot.running.map((u) => u.stepId)).toEqual(['c']);
    expect(snapshot.fraction).toBeCloseTo(3 / 4);
  });

  it('weights progress by the plan estimates', () => {
    const snapshot = track([started, { type: 'step.succeeded', stepId: 'a', attempt: 1, at: 10 }], { a: 300, b: 100, c: 100, d: 500 }).snapshot();
    expect(snapshot.fraction).toBeCloseTo(0.3);
  });

  it('lists running fan-out items and credits finished items to their step', () => {
    const tracker = track([
      started,
      { type: 'step.expanded', stepId: 'a', items: 4, at: 1 },
      { type: 'step.started', stepId: 'a', itemIndex: 0, attempt: 1, at: 2, queueWaitMs: 0 },
      { type: 'step.started', stepId: 'a', itemIndex: 1, attempt: 2, at: 3, queueWaitMs: 0 },
      { type: 'step.succeeded', stepId: 'a', itemIndex: 0, attempt: 1, at: 5 },
    ]);
    const snapshot = tracker.snapshot();
    expect(snapshot.running).toEqual([{ stepId: 'a', itemIndex: 1, attempt: 2, startedAt: 3 }]);
    expect(snapshot.done).toBe(0);
    expect(snapshot.fraction).toBeCloseTo(0.25 / 4);
    tracker.apply({ type: 'step.succeeded', stepId: 'a', at: 9, attempt: 1 });
    expect(tracker.snapshot().done).toBe(1);
  });

  it('takes a retrying step off the running list until it starts again', () => {
    const tracker = track([
      started,
      { type: 'step.started', stepId: 'a', attempt: 1, at: 1, queueWaitMs: 0 },
      { type: 'step.retrying', stepId: 'a', attempt: 1, at: 2, delayMs: 100, error: { code: 'AGENT_ERROR', message: 'x' } },
    ]);
    expect(tracker.snapshot().running).toEqual([]);
  });

  it('is complete once the run succeeded; a run that failed or was cancelled keeps the share it reached', () => {
    const ok = track([started, { type: 'run.finished', runId: 'r1', status: 'succeeded', at: 50, wallMs: 50 }]).snapshot();
    expect(ok).toMatchObject({ finished: true, fraction: 1, running: [], status: 'succeeded' });
    const failed = track([started, { type: 'run.finished', runId: 'r1', status: 'failed', at: 50, wallMs: 50 }]).snapshot();
    expect(failed).toMatchObject({ finished: true, running: [], status: 'failed' });
    expect(failed.fraction).toBeLessThan(1);
  });
});

describe('estimateRemainingMs', () => {
  it('extrapolates from the finished share', () => {
    expect(estimateRemainingMs({ fraction: 0.25, plannedMs: undefined, finished: false }, 1000)).toBe(3000);
  });
  it('falls back to the plan before anything finished, and never goes negative', () => {
    expect(estimateRemainingMs({ fraction: 0, plannedMs: 5000, finished: false }, 1000)).toBe(4000);
    expect(estimateRemainingMs({ fraction: 0, plannedMs: 500, finished: false }, 1000)).toBe(0);
    expect(estimateRemainingMs({ fraction: 0, plannedMs: undefined, finished: false }, 1000)).toBeUndefined();
  });
  it('is zero when finished', () => {
    expect(estimateRemainingMs({ fraction: 0.5, plannedMs: 100, finished: true }, 1000)).toBe(0);
  });
});
