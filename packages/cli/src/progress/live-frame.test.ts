import { describe, it, expect } from 'vitest';
import { formatLiveFrame, formatProgressBar } from './live-frame.ts';
import type { ProgressSnapshot } from './progress-tracker.ts';

const base: ProgressSnapshot = {
  workflow: 'blog_generation',
  engine: 'parallel',
  totalSteps: 10,
  done: 4,
  failed: 1,
  skipped: 0,
  running: [
    { stepId: 'outline', attempt: 1, startedAt: 1000 },
    { stepId: 'section', itemIndex: 2, attempt: 2, startedAt: 2500 },
  ],
  fraction: 0.5,
  plannedMs: 8000,
  finished: false,
};

describe('formatProgressBar', () => {
  it('fills in proportion and shows the percentage', () => {
    expect(formatProgressBar(0.5, 10)).toBe('[#####-----]  50%');
    expect(formatProgressBar(0, 4)).toBe('[----]   0%');
    expect(formatProgressBar(1, 4)).toBe('[####] 100%');
  });
  it('clamps out-of-range values', () => {
    expect(formatProgressBar(1.7, 4)).toBe('[####] 100%');
    expect(formatProgressBar(Number.NaN, 4)).toBe('[----]   0%');
  });
});

describe('formatLiveFrame', () => {
  it('shows the bar, the counts, elapsed and ETA, and one line per running step with its elapsed time', () => {
    const frame = formatLiveFrame(base, 4000, { barWidth: 10, columns: 200 });
    expect(frame.split('\n')).toEqual([
      'blog_generation [#####-----]  50%',
      'done 4  running 2  failed 1  skipped 0  of 10  elapsed 4.0s  ETA 4.0s',
      '  > outline     3.0s',
      '  > section[2]  1.5s  (attempt 2)',
    ]);
  });

  it('summarises running steps beyond the limit', () => {
    const frame = formatLiveFrame(base, 4000, { maxRunningLines: 1, columns: 200 });
    expect(frame).toContain('+1 more running');
    expect(frame).not.toContain('section[2]');
  });

  it('cuts lines to the terminal width', () => {
    const frame = formatLiveFrame(base, 4000, { columns: 20 });
    for (const line of frame.split('\n')) expect(line.length).toBeLessThan(20);
  });
});
