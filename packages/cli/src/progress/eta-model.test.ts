import { describe, expect, it } from 'vitest';
import { estimateRemaining } from './eta-model.ts';
import type { EtaPlan, EtaStep, StepObservation } from './eta-model.ts';

const plan = (steps: Record<string, EtaStep>, slots = 4): EtaPlan => ({ slots, steps: new Map(Object.entries(steps)) });
const seen = (entries: Record<string, Partial<StepObservation>>): Map<string, StepObservation> =>
  new Map(Object.entries(entries).map(([id, o]) => [id, { finishedMs: [], runningSince: [], ...o }]));

describe('estimateRemaining', () => {
  it('before anything ran: the plan lower bound, fan-outs by their expected items in waves', () => {
    const p = plan({ a: { estimateMs: 100, dependencies: [], forEach: false }, fan: { estimateMs: 50, dependencies: ['a'], forEach: true, expectedItems: 12 } });
    // a (100) then 12 items of 50 on 4 slots: 3 waves.
    expect(estimateRemaining(p, new Map(), 0)).toMatchObject({ remainingMs: 250, boundBy: 'path', doneMs: 0, totalMs: 700 });
  });

  it('corrects the estimates of steps not seen yet by how slow the finished ones were', () => {
    const p = plan({ a: { estimateMs: 100, dependencies: [], forEach: false }, b: { estimateMs: 100, dependencies: ['a'], forEach: false } });
    const e = estimateRemaining(p, seen({ a: { final: 'done', finishedMs: [200] } }), 200);
    expect(e.remainingMs).toBe(200);
    expect(e.doneMs / e.totalMs).toBeCloseTo(0.5);
  });

  it('a concurrency group shared by steps bounds the run: its work over its limit', () => {
    const p = plan({
      x: { estimateMs: 100, dependencies: [], forEach: true, expectedItems: 4, group: { name: 'llm', limit: 1 } },
      y: { estimateMs: 100, dependencies: [], forEach: true, expectedItems: 4, group: { name: 'llm', limit: 1 } },
    });
    expect(estimateRemaining(p, new Map(), 0)).toMatchObject({ remainingMs: 800, boundBy: 'group llm' });
  });

  it('a skipped step has no work; a cancelled one counts only what finished', () => {
    const p = plan({ a: { estimateMs: 100, dependencies: [], forEach: false }, b: { estimateMs: 100, dependencies: [], forEach: true, expectedItems: 4 } });
    expect(estimateRemaining(p, seen({ a: { final: 'done', finishedMs: [100] }, b: { final: 'skipped' } }), 100)).toMatchObject({ doneMs: 100, totalMs: 100 });
    const cancelled = estimateRemaining(p, seen({ a: { final: 'done', finishedMs: [100] }, b: { final: 'cancelled', items: 4, finishedMs: [100] } }), 100);
    expect(cancelled.doneMs / cancelled.totalMs).toBeCloseTo(0.4);
  });
});
