import { describe, it, expect } from 'vitest';
import type { RunEvent } from '@ucop/core';
import { CapturedStream } from '../cli-io.ts';
import { chooseProgressMode, createProgressReporter } from './progress-reporter.ts';

const events: RunEvent[] = [
  { type: 'run.started', runId: 'r1', workflow: 'wf', engine: 'parallel', steps: 2, at: 0 },
  { type: 'step.ready', stepId: 'a', at: 0 },
  { type: 'step.started', stepId: 'a', attempt: 1, at: 1, queueWaitMs: 0 },
  { type: 'step.succeeded', stepId: 'a', attempt: 1, at: 101 },
  { type: 'step.skipped', stepId: 'b', at: 101, reason: 'condition is false' },
  { type: 'run.finished', runId: 'r1', status: 'succeeded', at: 102, wallMs: 102 },
];

describe('chooseProgressMode', () => {
  it('is live on a terminal, plain in a pipe, and silent with --quiet or --json', () => {
    expect(chooseProgressMode({ isTTY: true })).toBe('live');
    expect(chooseProgressMode({ isTTY: false })).toBe('plain');
    expect(chooseProgressMode({ isTTY: undefined })).toBe('plain');
    expect(chooseProgressMode({ isTTY: true, quiet: true })).toBe('none');
    expect(chooseProgressMode({ isTTY: true, json: true })).toBe('none');
    expect(chooseProgressMode({ isTTY: false, json: true })).toBe('none');
  });
});

describe('createProgressReporter', () => {
  it('plain: one line per event except step.ready, with step durations', () => {
    const stream = new CapturedStream();
    const reporter = createProgressReporter({ mode: 'plain', stream, workflow: 'wf' });
    for (const event of events) reporter.onEvent(event);
    reporter.close();
    const lines = stream.text().trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toContain('a succeeded in 100ms');
  });

  it('none: writes nothing', () => {
    const stream = new CapturedStream();
    const reporter = createProgressReporter({ mode: 'none', stream, workflow: 'wf' });
    for (const event of events) reporter.onEvent(event);
    reporter.close();
    expect(stream.text()).toBe('');
  });

  it('live: redraws frames and leaves the final one, with the counts', () => {
    const stream = new CapturedStream({ isTTY: true, columns: 100 });
    let now = 1000;
    const reporter = createProgressReporter({ mode: 'live', stream, workflow: 'wf', steps: ['a', 'b'], now: () => now, refreshMs: 60_000, minFrameMs: 0 });
    reporter.onEvent(events[0]!);
    reporter.onEvent(events[2]!);
    now = 1050;
    reporter.onEvent(events[3]!);
    const midRun = stream.text();
    expect(midRun).toContain('✓ 1 | ⟳ 0 | ✗ 0');
    reporter.onEvent(events[4]!);
    reporter.onEvent(events[5]!);
    reporter.close();
    const text = stream.text();
    expect(text).toContain(`[${'█'.repeat(24)}] 100.0%`);
    expect(text).toContain('✓ 1 | ⟳ 0 | ✗ 0 | skipped 1');
  });

  it('live: draws at most one frame per minFrameMs for events, and always the last one on close', () => {
    const stream = new CapturedStream({ isTTY: true, columns: 100 });
    const now = 1000;
    const reporter = createProgressReporter({ mode: 'live', stream, workflow: 'wf', steps: ['a', 'b'], now: () => now, refreshMs: 60_000, minFrameMs: 50 });
    for (const event of events) reporter.onEvent(event);
    expect(stream.text()).not.toContain('skipped 1');
    reporter.close();
    expect(stream.text()).toContain('skipped 1');
  });
});
