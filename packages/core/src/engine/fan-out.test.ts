import { describe, it, expect } from 'vitest';
import { parseExpression, parseTemplate } from '../expr/index.ts';
import { buildPlan } from './testing/plan-builder.ts';
import { createSimHarness } from './testing/sim-harness.ts';

const e = parseExpression;

describe('for_each fan-out', () => {
  it('runs one unit per item, gathers outputs in item order (not completion order), downstream waits for all', async () => {
    const plan = buildPlan({
      settings: { maxParallel: 8 },
      steps: {
        list: { with: { ms: 1, output: [30, 10, 20] } },
        each: { forEach: e('steps.list.output'), with: parseTemplate({ ms: '${{ item }}', output: '${{ item * 2 }}' }) },
        after: { with: parseTemplate({ ms: 1, output: '${{ steps.each.output }}' }) },
      },
    });
    const h = createSimHarness();
    const { record, outputs } = await h.run(plan);
    void outputs;
    expect(record.status).toBe('succeeded');
    const items = record.steps.filter((s) => s.id === 'each' && s.itemIndex !== undefined);
    expect(items.map((s) => [s.itemIndex, s.status, s.attempts])).toEqual([
      [0, 'succeeded', 1],
      [1, 'succeeded', 1],
      [2, 'succeeded', 1],
    ]);
    // Completion order was 1, 2, 0; the gathered output keeps item order.
    const ends = items.map((s) => s.endMs!);
    expect(ends[1]! < ends[2]! && ends[2]! < ends[0]!).toBe(true);
    const after = h.recorder.all().find((r) => r.stepId === 'after')!;
    expect(after.startedAt).toBe(Math.max(...ends));
    const parent = record.steps.find((s) => s.id === 'each' && s.itemIndex === undefined)!;
    expect(parent.status).toBe('succeeded');
    expect(parent.startMs).toBe(1);
    expect(parent.endMs).toBe(31);
    for (let i = 0; i < 3; i += 1) expect(h.recorder.count('each', i)).toBe(1);
    const expanded = h.events.find((ev) => ev.type === 'step.expanded');
    expect(expanded).toMatchObject({ stepId: 'each', items: 3 });
  });

  it('passes item and index, and the gathered list downstream', async () => {
    const plan = buildPlan({
      steps: {
        each: { forEach: e("['a', 'b', 'c']"), with: parseTemplate({ ms: 1, output: '${{ index }}:${{ item }}' }) },
        join: { with: parseTemplate({ ms: 1, output: '${{ steps.each.output }}' }) },
      },
      outputs: { all: parseTemplate('${{ steps.join.output }}') },
    });
    const { outputs } = await createSimHarness().run(plan);
    expect(outputs.all).toEqual(['0:a', '1:b', '2:c']);
  });

  it('succeeds with [] on an empty list and runs nothing for it', async () => {
    const plan = buildPlan({
      steps: {
        each: { forEach: e('[]'), with: { ms: 5 } },
        after: { with: parseTemplate({ ms: 1, output: '${{ steps.each.output.length }}' }) },
      },
      outputs: { n: parseTemplate('${{ steps.after.output }}') },
    });
    const h = createSimHarness();
    const { record, outputs } = await h.run(plan);
    expect(record.status).toBe('succeeded');
    expect(h.recorder.count('each')).toBe(0);
    expect(outputs.n).toBe(0);
  });

  it('fails with FOR_EACH_NOT_LIST_AT_RUNTIME when the list is not a list', async () => {
    const plan = buildPlan({
      steps: {
        src: { with: { ms: 1, output: { not: 'a list' } } },
        each: { forEach: e('steps.src.output'), with: { ms: 5 } },
      },
    });
    const { record } = await createSimHarness().run(plan);
    expect(record.status).toBe('failed');
    const each = record.steps.find((s) => s.id === 'each')!;
    expect(each.status).toBe('failed');
    expect(each.error?.code).toBe('FOR_EACH_NOT_LIST_AT_RUNTIME');
    expect(record.errors.map((x) => x.code)).toEqual(['FOR_EACH_NOT_LIST_AT_RUNTIME']);
  });

  it("honours the step's own max_parallel for its items", async () => {
    const plan = buildPlan({
      settings: { maxParallel: 10 },
      steps: { each: { forEach: e('[1,2,3,4,5,6,7]'), maxParallel: 2, with: { ms: 10 } }, other: { with: { ms: 30 } } },
    });
    const h = createSimHarness();
    const { record } = await h.run(plan);
    expect(record.status).toBe('succeeded');
    expect(h.recorder.maxConcurrent((r) => r.stepId === 'each')).toBe(2);
    expect(h.recorder.maxConcurrent()).toBe(3);
    expect(record.wallMs).toBe(40);
  });

  it('gives each item its own status and attempts; one failing item fails the step, the others finish', async () => {
    const plan = buildPlan({
      steps: {
        each: {
          forEach: e('[0, 2, 0]'),
          with: parseTemplate({ ms: 5, fail_attempts: '${{ item }}', error: 'AGENT_ERROR' }),
          retry: { attempts: 2, delayMs: 10 },
        },
        after: { needs: ['each'], with: { ms: 1 } },
      },
    });
    const h = createSimHarness();
    const { record } = await h.run(plan, { random: () => 0 });
    const items = record.steps.filter((s) => s.id === 'each' && s.itemIndex !== undefined);
    expect(items.map((s) => [s.status, s.attempts])).toEqual([
      ['succeeded', 1],
      ['failed', 2],
      ['succeeded', 1],
    ]);
    expect(record.steps.find((s) => s.id === 'each' && s.itemIndex === undefined)!.status).toBe('failed');
    expect(record.steps.find((s) => s.id === 'after')).toMatchObject({ status: 'skipped', reason: 'dependency "each" failed (read steps.each.status in if: to run anyway)' });
    expect(h.recorder.count('each', 1)).toBe(2);
    expect(record.status).toBe('failed');
    // The run's errors name the item that failed.
    expect(record.errors).toEqual([expect.objectContaining({ code: 'AGENT_ERROR', stepId: 'each', itemIndex: 1 })]);
  });

  it('fails only the item whose with: cannot be evaluated', async () => {
    const plan = buildPlan({
      steps: { each: { forEach: e('[1, 0, 2]'), with: parseTemplate({ ms: '${{ 10 / item }}' }), continueOnError: true } },
    });
    const h = createSimHarness();
    const { record } = await h.run(plan);
    const items = record.steps.filter((s) => s.itemIndex !== undefined);
    expect(items.map((s) => s.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(items[1]!.error?.code).toBe('EXPRESSION_EVAL');
    expect(items[1]!.attempts).toBe(0);
    expect(h.recorder.count('each')).toBe(2);
    expect(record.status).toBe('succeeded');
  });
});
