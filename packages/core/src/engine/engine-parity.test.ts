import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseExpression, parseTemplate } from '../expr/index.ts';
import type { Template } from '../expr/ast.ts';
import { buildPlan, type TestStepSpec } from './testing/plan-builder.ts';
import { createSimHarness } from './testing/sim-harness.ts';

/** A random DAG of sim.delay steps whose outputs and state writes depend on their dependencies. */
function randomPlan(seed: number, maxParallel: number) {
  let s = seed >>> 0 || 1;
  const rand = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const n = 3 + Math.floor(rand() * 14);
  const steps: Record<string, TestStepSpec> = {};
  const ids: string[] = [];
  const outputs: Record<string, Template> = {};
  for (let i = 0; i < n; i += 1) {
    const id = `s${i}`;
    const deps = ids.filter(() => rand() < 0.3);
    const refs = deps.map((d) => `\${{ steps.${d}.output }}`);
    const ms = Math.floor(rand() * 40);
    const fanOut = rand() < 0.25;
    const failing = rand() < 0.15;
    const write = { log: id, total: i + 0.1, seen: { [id]: i }, tags: [`t${i % 3}`], last: id };
    const base: Record<string, unknown> = { ms: fanOut ? '${{ item }}' : ms, output: fanOut ? [id, '${{ index }}', refs] : [id, refs], write };
    if (failing) Object.assign(base, { fail_attempts: 1, retryable: rand() < 0.5 });
    steps[id] = {
      with: parseTemplate(base),
      needs: deps,
      writes: ['log', 'total', 'seen', 'tags', 'last'],
      ...(fanOut ? { forEach: parseExpression(`[${[0, 1, 2].map(() => Math.floor(rand() * 30)).join(', ')}]`) } : {}),
      ...(failing ? { continueOnError: rand() < 0.7, retry: { attempts: 2, delayMs: 5 } } : {}),
      ...(rand() < 0.1 && deps.length > 0 ? { condition: parseExpression(`steps.${deps[0]}.status == 'succeeded'`) } : {}),
      estimateMs: ms,
    };
    ids.push(id);
    outputs[id] = parseTemplate(`\${{ steps.${id}.output }}`);
  }
  return buildPlan({
    settings: { maxParallel },
    state: {
      log: { reducer: 'append' },
      total: { reducer: 'sum' },
      seen: { reducer: 'merge' },
      tags: { reducer: 'union' },
      last: { reducer: 'replace' },
    },
    steps,
    outputs,
  });
}

describe('sequential and parallel engines agree', () => {
  it('give byte-identical outputs, state and step outcomes on random DAGs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 6 }), async (seed, slots) => {
        const plan = randomPlan(seed, slots);
        const seq = await createSimHarness().run(plan, { engine: 'sequential', random: () => 0.5 });
        const par = await createSimHarness().run(plan, { engine: 'parallel', random: () => 0.5 });
        expect(JSON.stringify(par.outputs)).toBe(JSON.stringify(seq.outputs));
        expect(JSON.stringify(par.state)).toBe(JSON.stringify(seq.state));
        const outcome = (r: typeof seq) => r.record.steps.map((x) => [x.id, x.itemIndex, x.status, x.attempts, x.reason, x.error?.code]);
        expect(outcome(par)).toEqual(outcome(seq));
        expect(par.record.status).toBe(seq.record.status);
      }),
      { numRuns: 40 },
    );
  });

  it('the sequential engine runs one unit at a time in plan order', async () => {
    const plan = randomPlan(12345, 4);
    const h = createSimHarness();
    await h.run(plan, { engine: 'sequential', random: () => 0.5 });
    const all = h.recorder.all();
    // One at a time: each invocation starts when the previous one has ended (zero-length ones included).
    for (let i = 1; i < all.length; i += 1) expect(all[i]!.startedAt).toBeGreaterThanOrEqual(all[i - 1]!.endedAt!);
    const order = h.recorder.all().map((r) => plan.steps[r.stepId]!.order);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
