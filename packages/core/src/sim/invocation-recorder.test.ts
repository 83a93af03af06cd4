import { describe, it, expect } from 'vitest';
import { InvocationRecorder } from './invocation-recorder.ts';

function recorderAt(times: number[]): InvocationRecorder {
  let i = 0;
  return new InvocationRecorder({ now: () => times[i++]! });
}

const info = (stepId: string, itemIndex?: number) => ({ runId: 'r', stepId, itemIndex, attempt: 1 });

describe('InvocationRecorder', () => {
  it('counts overlapping invocations, not back-to-back ones', () => {
    // a [0,10]  b [10,20]  c [5,15]
    const r = recorderAt([0, 5, 10, 10, 15, 20]);
    const a = r.start(info('a'));
    const c = r.start(info('c'));
    a.finish('ok');
    const b = r.start(info('b'));
    c.finish('ok');
    b.finish('error');
    expect(r.maxConcurrent()).toBe(2);
    expect(r.maxConcurrent((x) => x.stepId !== 'c')).toBe(1);
    expect(r.all().map((x) => [x.stepId, x.startedAt, x.endedAt, x.outcome])).toEqual([
      ['a', 0, 10, 'ok'],
      ['c', 5, 15, 'ok'],
      ['b', 10, 20, 'error'],
    ]);
  });

  it('counts a zero-length invocation inside another as overlapping', () => {
    const r = recorderAt([0, 5, 5, 10]);
    const a = r.start(info('a'));
    r.start(info('z')).finish('ok');
    a.finish('ok');
    expect(r.maxConcurrent()).toBe(2);
  });

  it('counts running invocations as still running', () => {
    const r = recorderAt([0, 100, 200]);
    r.start(info('a'));
    r.start(info('b')).finish('aborted');
    expect(r.maxConcurrent()).toBe(2);
    expect(r.all()[0]).toMatchObject({ outcome: 'running', endedAt: undefined });
  });

  it('counts per step and per item, and clears', () => {
    const r = new InvocationRecorder();
    r.start(info('s', 0)).finish('error');
    r.start(info('s', 0)).finish('ok');
    r.start(info('s', 1)).finish('ok');
    expect(r.count('s')).toBe(3);
    expect(r.count('s', 0)).toBe(2);
    expect(r.count('other')).toBe(0);
    r.clear();
    expect(r.all()).toEqual([]);
  });
});
