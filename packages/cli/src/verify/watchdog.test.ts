import { describe, it, expect, vi, afterEach } from 'vitest';
import { runWithWatchdog } from './watchdog.ts';

afterEach(() => {
  vi.useRealTimers();
});

function sleep(ms: number, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve('slept'), ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });
}

describe('runWithWatchdog', () => {
  it('returns the value of an operation that finishes in time', async () => {
    vi.useFakeTimers();
    const outcome = runWithWatchdog((s) => sleep(100, s), 1000);
    await vi.advanceTimersByTimeAsync(100);
    await expect(outcome).resolves.toEqual({ kind: 'done', value: 'slept' });
  });

  it('aborts an operation that overruns and reports it overdue', async () => {
    vi.useFakeTimers();
    let seen: AbortSignal | undefined;
    const outcome = runWithWatchdog((s) => {
      seen = s;
      return sleep(60_000, s);
    }, 500);
    await vi.advanceTimersByTimeAsync(500);
    await expect(outcome).resolves.toEqual({ kind: 'overdue', afterMs: 500 });
    expect(seen?.aborted).toBe(true);
  });

  it('stops waiting for an operation that ignores the abort', async () => {
    vi.useFakeTimers();
    const outcome = runWithWatchdog(() => sleep(60_000), 500, undefined, 200);
    await vi.advanceTimersByTimeAsync(700);
    await expect(outcome).resolves.toEqual({ kind: 'overdue', afterMs: 500 });
  });

  it('reports a rejection as failed', async () => {
    const outcome = await runWithWatchdog(() => Promise.reject(new Error('boom')), 500);
    expect(outcome.kind).toBe('failed');
  });
});
