import { describe, expect, it } from 'vitest';
import { CapturedStream } from '../cli-io.ts';
import { LimitWaitNotes } from './limit-wait-notes.ts';
import { createProgressReporter } from './progress-reporter.ts';

describe('limit waits in the progress display', () => {
  it('says which limit and how long, once per limit per second', () => {
    let now = 0;
    const notes = new LimitWaitNotes({ now: () => now });
    const stream = new CapturedStream();
    const reporter = createProgressReporter({ mode: 'plain', stream, workflow: 'wf' });
    notes.listen((text, untilMs) => reporter.note(text, untilMs));
    notes.notify({ key: 'provider:openai', limit: 'rpm', waitMs: 12_000 });
    notes.notify({ key: 'provider:openai', limit: 'rpm', waitMs: 11_975 });
    notes.notify({ key: 'stage:wf/s', limit: 'concurrency', waitMs: 25 });
    now = 1_000;
    notes.notify({ key: 'provider:openai', limit: 'rpm', waitMs: 11_000 });
    expect(stream.text().split('\n').filter(Boolean)).toEqual([
      '  … waiting 12s for rpm of provider:openai (shared limit)',
      '  … waiting 25ms for concurrency of stage:wf/s (shared limit)',
      '  … waiting 11s for rpm of provider:openai (shared limit)',
    ]);
    notes.listen(undefined);
    notes.notify({ key: 'x', limit: 'rpm', waitMs: 1 });
    expect(stream.text().split('\n').filter(Boolean)).toHaveLength(3);
  });
});
