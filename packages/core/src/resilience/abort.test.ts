import { describe, it, expect, vi, afterEach } from 'vitest';
import { getEventListeners } from 'node:events';
import { linkSignals, timeoutSignal } from './abort.ts';
import { isUcopError } from '../errors/ucop-error.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('linkSignals', () => {
  it('aborts with the reason of the first source that aborts', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkSignals(a.signal, undefined, b.signal);
    expect(linked.signal.aborted).toBe(false);
    const reason = new Error('b went first');
    b.abort(reason);
    a.abort(new Error('a'));
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe(reason);
    linked.dispose();
  });

  it('is aborted at once when a source already is', () => {
    const a = new AbortController();
    a.abort('gone');
    expect(linkSignals(new AbortController().signal, a.signal).signal.reason).toBe('gone');
  });

  it('removes its listeners from the sources on dispose', () => {
    const run = new AbortController();
    for (let i = 0; i < 100; i++) linkSignals(run.signal).dispose();
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
    const linked = linkSignals(run.signal);
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(1);
    linked.dispose();
    run.abort();
    expect(linked.signal.aborted).toBe(false);
  });
});

describe('timeoutSignal', () => {
  it('aborts with a retryable STEP_TIMEOUT after ms', async () => {
    vi.useFakeTimers();
    const t = timeoutSignal(1000);
    await vi.advanceTimersByTimeAsync(999);
    expect(t.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.signal.aborted).toBe(true);
    const reason: unknown = t.signal.reason;
    expect(isUcopError(reason) && [reason.code, reason.retryable]).toEqual(['STEP_TIMEOUT', true]);
    t.dispose();
  });

  it('leaves no timer behind once disposed, and never fires', async () => {
    vi.useFakeTimers();
    const t = timeoutSignal(1000, { reason: () => 'custom' });
    expect(vi.getTimerCount()).toBe(1);
    t.dispose();
    await vi.advanceTimersByTimeAsync(5000);
    expect(vi.getTimerCount()).toBe(0);
    expect(t.signal.aborted).toBe(false);
  });

  it('uses a custom reason', async () => {
    vi.useFakeTimers();
    const t = timeoutSignal(10, { reason: () => 'custom' });
    await vi.advanceTimersByTimeAsync(10);
    expect(t.signal.reason).toBe('custom');
  });
});
