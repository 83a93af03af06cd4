import { describe, expect, it } from 'vitest';
import { buildPlan } from './testing/plan-builder.ts';
import { createSimHarness } from './testing/sim-harness.ts';

const fixed = (delayMs: number, attempts = 2) => ({ attempts, backoff: 'fixed' as const, delayMs, maxDelayMs: delayMs });

describe('a unit waiting out its retry backoff gives its slot back', () => {
  it('another ready step runs in the slot during the backoff; the retry takes a slot again after it', async () => {
    const h = createSimHarness();
    // One slot. `a` (critical path first: it goes first) fails its first 50 ms attempt, then waits 500 ms.
    const plan = buildPlan({
      settings: { maxParallel: 1 },
      steps: { a: { with: { ms: 50, fail_attempts: 1 }, retry: fixed(500) }, b: { with: { ms: 20 } } },
    });
    const { record } = await h.run(plan);
    expect(record.status).toBe('succeeded');
    const a = record.steps.find((s) => s.id === 'a')!;
    const b = record.steps.find((s) => s.id === 'b')!;
    // b used the slot a gave back: it started when a's first attempt failed, not after a's retry.
    expect(b).toMatchObject({ startMs: 50, endMs: 70 });
    expect(a.attemptLog).toEqual([
      { startMs: 0, endMs: 50, status: 'failed', error: expect.objectContaining({ code: 'AGENT_ERROR' }), backoffMs: 500 },
      { startMs: 550, endMs: 600, status: 'succeeded' },
    ]);
    expect(a.backoffMs).toBe(500);
    expect(record.wallMs).toBe(600);
    expect(h.recorder.maxConcurrent()).toBe(1);
    // The backoff is waiting, not work.
    expect(record.metrics.sumStepMs).toBe(50 + 50 + 20);
    expect(record.metrics.waits?.backoffMs).toBe(500);
  });

  it('the retry waits for a slot when the slots are busy, ahead of steps not yet started, and the cap holds', async () => {
    const h = createSimHarness();
    // a fails at 10 and backs off 20 ms (to 30); b (100 ms) takes the slot at 10; c (5 ms) is queued behind b.
    const plan = buildPlan({
      settings: { maxParallel: 1 },
      steps: {
        a: { with: { ms: 10, fail_attempts: 1 }, retry: fixed(20), estimateMs: 1000 },
        b: { with: { ms: 100 }, estimateMs: 500 },
        c: { with: { ms: 5 }, estimateMs: 5 },
      },
    });
    const { record } = await h.run(plan);
    const by = (id: string) => record.steps.find((s) => s.id === id)!;
    expect(by('b')).toMatchObject({ startMs: 10, endMs: 110 });
    // a's retry was back at 30 but b held the only slot: it went next, before c.
    expect(by('a').attemptLog?.[1]).toMatchObject({ startMs: 110, endMs: 120 });
    expect(by('c')).toMatchObject({ startMs: 120, endMs: 125 });
    expect(h.recorder.maxConcurrent()).toBe(1);
  });

  it('a concurrency group is given back too, and its cap holds', async () => {
    const h = createSimHarness();
    const group = { name: 'llm', limit: 1 };
    const plan = buildPlan({
      settings: { maxParallel: 4 },
      steps: {
        a: { with: { ms: 10, fail_attempts: 1 }, retry: fixed(100), concurrencyGroup: group, estimateMs: 100 },
        b: { with: { ms: 30 }, concurrencyGroup: group, estimateMs: 30 },
      },
    });
    const { record } = await h.run(plan);
    const by = (id: string) => record.steps.find((s) => s.id === id)!;
    expect(by('b')).toMatchObject({ startMs: 10, endMs: 40 });
    expect(by('a').attemptLog?.[1]).toMatchObject({ startMs: 110, endMs: 120 });
    expect(h.recorder.maxConcurrent()).toBe(1);
  });

  it('a run that stops during the backoff ends: the waiting unit is cancelled, nothing hangs', async () => {
    const h = createSimHarness();
    const plan = buildPlan({
      settings: { maxParallel: 1, failFast: true },
      steps: {
        a: { with: { ms: 10, fail_attempts: 1 }, retry: fixed(1000), estimateMs: 100 },
        b: { with: { ms: 20, fail_attempts: 5 }, estimateMs: 50 },
      },
    });
    const { record } = await h.run(plan);
    expect(record.status).toBe('failed');
    const a = record.steps.find((s) => s.id === 'a')!;
    expect(a.status).not.toBe('succeeded');
    expect(a.reason).toMatch(/stopped before attempt 2/);
    expect(record.wallMs).toBeLessThan(1000);
  });
});
