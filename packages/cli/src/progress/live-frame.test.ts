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
  units: { succeeded: 7, failed: 1, running: 2 },
  fanOuts: [{ stepId: 'section', finished: 3, total: 5 }],
  queued: 2,
  queuedSince: 3000,
};

describe('formatProgressBar', () => {
  it('fills in proportion and shows the percentage', () => {
    expect(formatProgressBar(0.5, 10)).toBe('[█████░░░░░]  50.0%');
    expect(formatProgressBar(0, 4)).toBe('[░░░░]   0.0%');
    expect(formatProgressBar(1, 4)).toBe('[████] 100.0%');
    expect(formatProgressBar(0.6049, 4)).toBe('[██░░]  60.4%');
  });
  it('clamps out-of-range values', () => {
    expect(formatProgressBar(1.7, 4)).toBe('[████] 100.0%');
    expect(formatProgressBar(Number.NaN, 4)).toBe('[░░░░]   0.0%');
  });
});

describe('formatLiveFrame', () => {
  it('shows the bar, the unit counts, elapsed and ETA, fan-out progress, waits, and one line per running step', () => {
    const frame = formatLiveFrame(base, 4000, { barWidth: 10, columns: 200 });
    expect(frame.split('\n')).toEqual([
      'blog_generation [█████░░░░░]  50.0% | ✓ 7 | ⟳ 2 | ✗ 1 | Elapsed: 00:00:04 | ETA: 00:00:04',
      '  section 3/5 | 2 waiting on a free slot for 1.0s',
      '  ⟳ outline     3.0s',
      '  ⟳ section[2]  1.5s  (attempt 2)',
    ]);
  });

  it('uses the ETA model when there is one, and names a concurrency limit the run waits on', () => {
    const frame = formatLiveFrame({ ...base, eta: { remainingMs: 83_000, boundBy: 'group llm', doneMs: 1, totalMs: 2 }, waitingOnGroup: 'llm' }, 4000, { columns: 200 });
    expect(frame).toContain('ETA: 00:01:23');
    expect(frame).toContain('2 waiting on the llm concurrency limit for 1.0s');
  });

  it('after a stop: says how the run ended, keeps the share reached, no ETA', () => {
    const frame = formatLiveFrame({ ...base, finished: true, status: 'cancelled', running: [], fraction: 0.45 }, 4000, { barWidth: 10, columns: 200 });
    expect(frame.split('\n')[0]).toBe('blog_generation cancelled [█████░░░░░]  45.0% | ✓ 7 | ⟳ 2 | ✗ 1 | Elapsed: 00:00:04 | ETA: -');
    expect(frame).not.toContain('100');
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
