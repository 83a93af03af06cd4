import { describe, it, expect } from 'vitest';
import { parseExpression } from '../expr/index.ts';
import { buildPlan } from './testing/plan-builder.ts';
import { createSimHarness } from './testing/sim-harness.ts';

describe('guards', () => {
  it('whole-run deadline: RUN_TIMEOUT, status timed_out, running steps stopped, the rest not started', async () => {
    const plan = buildPlan({
      settings: { timeoutMs: 100, maxParallel: 1 },
      steps: { long: { with: { ms: 1_000 } }, next: { needs: ['long'], with: { ms: 1 } }, other: { with: { ms: 1 } , estimateMs: 0 } },
    });
    const h = createSimHarness();
    const { record } = await h.run(plan);
    expect(record.status).toBe('timed_out');
    expect(record.wallMs).toBe(100);
    expect(record.errors).toEqual([expect.objectContaining({ code: 'RUN_TIMEOUT' })]);
    expect(record.errors[0]!.message).toContain('config.timeout');
    // The deadline is the run's own error: it names no step.
    expect(record.errors[0]).not.toHaveProperty('stepId');
    const by = (id: string) => record.steps.find((s) => s.id === id)!;
    expect(by('long')).toMatchObject({ status: 'timed_out', error: { code: 'RUN_TIMEOUT' } });
    expect(by('next')).toMatchObject({ status: 'cancelled', reason: 'not started: the run timed out after 100ms' });
    expect(by('other')).toMatchObject({ status: 'cancelled', reason: 'not started: the run timed out after 100ms' });
    expect(h.recorder.all()).toEqual([expect.objectContaining({ stepId: 'long', outcome: 'aborted', endedAt: 100 })]);
  });

  it('max steps: GUARD_MAX_STEPS counts fan-out items and stops the run', async () => {
    const plan = buildPlan({
      settings: { maxSteps: 5, maxParallel: 2 },
      steps: { many: { forEach: parseExpression('[1,2,3,4,5,6,7,8,9,10]'), with: { ms: 10 } } },
    });
    const h = createSimHarness();
    const { record } = await h.run(plan);
    expect(record.status).toBe('failed');
    expect(record.errors).toEqual([expect.objectContaining({ code: 'GUARD_MAX_STEPS' })]);
    expect(record.errors[0]!.message).toContain('config.max_steps');
    expect(h.recorder.all()).toHaveLength(5);
    const items = record.steps.filter((s) => s.itemIndex !== undefined);
    expect(items.filter((s) => s.status === 'succeeded')).toHaveLength(4);
    expect(items.filter((s) => s.status === 'cancelled')).toHaveLength(6);
  });

  it('max steps counts units, not retries', async () => {
    const plan = buildPlan({ settings: { maxSteps: 2 }, steps: { a: { with: { ms: 1, fail_attempts: 3 }, retry: { attempts: 4, delayMs: 1 } }, b: { needs: ['a'], with: { ms: 1 } } } });
    const { record } = await createSimHarness().run(plan, { random: () => 0 });
    expect(record.status).toBe('succeeded');
  });

  it('no-progress watchdog: GUARD_NO_PROGRESS when nothing finishes for the configured time', async () => {
    const plan = buildPlan({
      settings: { noProgressTimeoutMs: 500, maxParallel: 2 },
      steps: { quick: { with: { ms: 100 }, estimateMs: 100_000 }, stuck1: { with: { ms: 10_000 } }, stuck2: { with: { ms: 10_000 } } },
    });
    const h = createSimHarness();
    const { record } = await h.run(plan);
    expect(record.status).toBe('failed');
    expect(record.errors).toEqual([expect.objectContaining({ code: 'GUARD_NO_PROGRESS' })]);
    expect(record.errors[0]!.message).toContain('config.no_progress_timeout');
    // quick finished at 100 (progress), then stuck2 ran with stuck1 and nothing finished until 600.
    expect(record.wallMs).toBe(600);
    expect(record.steps.filter((s) => s.status === 'cancelled').map((s) => s.id).sort()).toEqual(['stuck1', 'stuck2']);
  });

  it('the watchdog does not fire while steps keep finishing', async () => {
    const steps: Record<string, { with: { ms: number }; needs?: string[] }> = {};
    for (let i = 0; i < 10; i += 1) steps[`s${i}`] = { with: { ms: 300 }, ...(i > 0 ? { needs: [`s${i - 1}`] } : {}) };
    const plan = buildPlan({ settings: { noProgressTimeoutMs: 500 }, steps });
    const { record } = await createSimHarness().run(plan);
    expect(record.status).toBe('succeeded');
    expect(record.wallMs).toBe(3_000);
  });

  it('cancellation through the caller signal: status cancelled, RUN_CANCELLED', async () => {
    const plan = buildPlan({ steps: { a: { with: { ms: 1_000 } } } });
    const h = createSimHarness();
    const controller = new AbortController();
    void h.clock.sleep(5).then(() => controller.abort());
    const { record } = await h.run(plan, { signal: controller.signal });
    expect(record.status).toBe('cancelled');
    expect(record.errors.map((e) => e.code)).toEqual(['RUN_CANCELLED']);
    expect(record.steps[0]!.status).toBe('cancelled');
    expect(record.wallMs).toBe(5);
  });

  it('an already aborted signal starts nothing', async () => {
    const plan = buildPlan({ steps: { a: { with: { ms: 1 } } } });
    const h = createSimHarness();
    const { record } = await h.run(plan, { signal: AbortSignal.abort() });
    expect(record.status).toBe('cancelled');
    expect(record.steps[0]).toMatchObject({ status: 'cancelled', reason: 'not started: the run was cancelled' });
    expect(h.recorder.all()).toEqual([]);
  });
});
