import { describe, it, expect } from 'vitest';
import { buildPlan, type TestStepSpec } from './testing/plan-builder.ts';
import { createSimHarness } from './testing/sim-harness.ts';
import type { InvocationRecord } from '../sim/invocation-recorder.ts';
import type { CompiledPlan } from '../plan/plan-types.ts';

function endOf(records: InvocationRecord[], stepId: string): number {
  return Math.max(...records.filter((r) => r.stepId === stepId).map((r) => r.endedAt!));
}

function startOf(records: InvocationRecord[], stepId: string): number {
  return Math.min(...records.filter((r) => r.stepId === stepId).map((r) => r.startedAt));
}

/** A deterministic pseudo-random layered DAG. */
function layeredPlan(seed: number, layers: number, width: number, maxParallel: number): CompiledPlan {
  let s = seed;
  const rand = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const steps: Record<string, TestStepSpec> = {};
  const previous: string[][] = [];
  for (let l = 0; l < layers; l += 1) {
    const layer: string[] = [];
    for (let i = 0; i < width; i += 1) {
      const id = `s${l}_${i}`;
      const needs = l === 0 ? [] : previous[l - 1]!.filter(() => rand() < 0.4);
      steps[id] = { with: { ms: 5 + Math.floor(rand() * 96) }, needs };
      layer.push(id);
    }
    previous.push(layer);
  }
  return buildPlan({ settings: { maxParallel }, steps });
}

describe('parallel scheduler', () => {
  it('runs every step exactly once, respects dependencies and never exceeds the cap', async () => {
    const h = createSimHarness();
    const plan = layeredPlan(7, 6, 8, 3);
    const { record } = await h.run(plan);
    expect(record.status).toBe('succeeded');
    const all = h.recorder.all();
    for (const id of plan.order) expect(h.recorder.count(id)).toBe(1);
    expect(all).toHaveLength(plan.order.length);
    expect(h.recorder.maxConcurrent()).toBeLessThanOrEqual(3);
    expect(h.recorder.maxConcurrent()).toBe(3);
    for (const id of plan.order) {
      for (const dep of plan.steps[id]!.dependencies) expect(startOf(all, id)).toBeGreaterThanOrEqual(endOf(all, dep));
    }
    // The record agrees with the recorder.
    for (const step of record.steps) {
      const r = all.find((x) => x.stepId === step.id)!;
      expect(step.startMs).toBe(r.startedAt);
      expect(step.endMs).toBe(r.endedAt);
    }
  });

  it('starts a step as soon as its own dependencies finish, not when its level does (no waves)', async () => {
    // Level 0: a (100 ms) and b (10 ms). Level 1: c needs b (100 ms), d needs a (10 ms).
    const plan = buildPlan({
      settings: { maxParallel: 4 },
      steps: { a: { with: { ms: 100 } }, b: { with: { ms: 10 } }, c: { needs: ['b'], with: { ms: 100 } }, d: { needs: ['a'], with: { ms: 10 } } },
    });
    const cp = createSimHarness();
    const fast = await cp.run(plan);
    expect(startOf(cp.recorder.all(), 'c')).toBe(10);
    expect(fast.record.wallMs).toBe(110);
    const lv = createSimHarness();
    const waves = await lv.run(plan, { scheduling: 'levels' });
    expect(startOf(lv.recorder.all(), 'c')).toBe(100);
    expect(waves.record.wallMs).toBe(200);
  });

  it('puts the longest remaining path first, which beats level order and FIFO on a crafted DAG', async () => {
    // One slot pair; a long chain hidden behind short independent steps declared first.
    const steps: Record<string, TestStepSpec> = {};
    for (let i = 0; i < 4; i += 1) steps[`short${i}`] = { with: { ms: 20 } };
    steps.head = { with: { ms: 20 } };
    steps.mid = { needs: ['head'], with: { ms: 20 } };
    steps.tail = { needs: ['mid'], with: { ms: 20 } };
    const plan = buildPlan({ settings: { maxParallel: 2 }, steps });
    const results: Record<string, number> = {};
    for (const scheduling of ['critical-path', 'levels', 'fifo'] as const) {
      const h = createSimHarness();
      const { record } = await h.run(plan, { scheduling });
      expect(record.status).toBe('succeeded');
      results[scheduling] = record.wallMs;
    }
    // 7 steps of 20 ms on 2 slots: lower bound 80 ms (work) and critical-path scheduling reaches it.
    expect(results['critical-path']).toBe(80);
    expect(results['levels']).toBeGreaterThan(80);
    expect(results['fifo']).toBeGreaterThan(80);
  });

  it('enforces named concurrency groups across steps without blocking other groups', async () => {
    const steps: Record<string, TestStepSpec> = {};
    for (let i = 0; i < 6; i += 1) steps[`llm${i}`] = { with: { ms: 50 }, concurrencyGroup: { name: 'llm', limit: 2 }, estimateMs: 1000 };
    for (let i = 0; i < 3; i += 1) steps[`io${i}`] = { with: { ms: 50 } };
    const plan = buildPlan({ settings: { maxParallel: 5 }, steps });
    const h = createSimHarness();
    const { record } = await h.run(plan);
    expect(record.status).toBe('succeeded');
    expect(h.recorder.maxConcurrent((r) => r.stepId.startsWith('llm'))).toBe(2);
    expect(h.recorder.maxConcurrent()).toBeLessThanOrEqual(5);
    // The io steps were not held up behind the full llm group even though llm steps rank first.
    for (let i = 0; i < 3; i += 1) expect(startOf(h.recorder.all(), `io${i}`)).toBe(0);
    expect(record.steps.find((s) => s.id === 'llm5')!.queueWaitMs).toBe(100);
  });

  it('takes the group limit from the plan settings when one is set there', async () => {
    const steps: Record<string, TestStepSpec> = {};
    for (let i = 0; i < 4; i += 1) steps[`g${i}`] = { with: { ms: 10 }, concurrencyGroup: { name: 'db', limit: 3 } };
    const plan = buildPlan({ settings: { maxParallel: 8, concurrencyGroups: { db: 1 } }, steps });
    const h = createSimHarness();
    await h.run(plan);
    expect(h.recorder.maxConcurrent()).toBe(1);
  });

  it('never runs more than maxParallel units, fan-out items included', async () => {
    const plan = buildPlan({
      settings: { maxParallel: 3 },
      steps: {
        list: { with: { ms: 1, output: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } },
        each: { forEach: { kind: 'path', root: 'steps', segments: [{ kind: 'key', name: 'list' }, { kind: 'key', name: 'output' }], start: 0 }, with: { ms: 10 } },
        side: { with: { ms: 30 } },
      },
    });
    const h = createSimHarness();
    const { record } = await h.run(plan, { maxParallel: 3 });
    expect(record.status).toBe('succeeded');
    expect(h.recorder.maxConcurrent()).toBe(3);
    expect(record.maxParallel).toBe(3);
  });

  it('keeps the figures honest: lower bound <= wall, efficiency 1 when the schedule is optimal', async () => {
    const plan = buildPlan({ settings: { maxParallel: 2 }, steps: { a: { with: { ms: 40 } }, b: { with: { ms: 40 } }, c: { needs: ['a', 'b'], with: { ms: 20 } } } });
    const h = createSimHarness();
    const { record } = await h.run(plan);
    expect(record.metrics.sumStepMs).toBe(100);
    expect(record.metrics.criticalPath).toEqual({ steps: ['a', 'c'], ms: 60 });
    expect(record.metrics.lowerBoundMs).toBe(60);
    expect(record.wallMs).toBe(60);
    expect(record.metrics.efficiency).toBe(1);
    expect(record.metrics.speedup).toBeCloseTo(100 / 60);
  });
});
