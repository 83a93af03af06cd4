import { describe, it, expect } from 'vitest';
import { compileWorkflow } from '../plan/compile-workflow.ts';
import { validateWorkflowSource } from '../dsl/validate-workflow.ts';
import { formatDiagnostic } from '../errors/diagnostic.ts';
import { createSimHarness, type SimHarness } from './testing/sim-harness.ts';
import type { CompiledPlan } from '../plan/plan-types.ts';

function compile(h: SimHarness, source: string): CompiledPlan {
  const { workflow, diagnostics } = validateWorkflowSource(source, 'wf.yaml', { agents: h.agents });
  if (!workflow) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return compileWorkflow(workflow, { agents: h.agents });
}

const loop = (max: number, onMax: string, acceptAt: number) => `
version: 1
name: review_loop
config: { max_steps: 100 }
steps:
  write: { agent: sim.delay, with: { ms: 1, output: draft } }
  review:
    repeat: { until: "\${{ steps.check.output.accepted }}", max: ${max}, on_max: ${onMax} }
    steps:
      revise: { agent: sim.delay, with: { ms: 2, output: "\${{ default(previous.draft, steps.write.output) }}+r\${{ iteration }}" } }
      check: { agent: sim.delay, with: { ms: 1, output: { accepted: "\${{ iteration >= ${acceptAt} }}" } } }
    outputs:
      draft: "\${{ steps.revise.output }}"
  publish: { agent: sim.delay, with: { ms: 1, output: "\${{ steps.review.output.draft }}" } }
outputs:
  post: "\${{ steps.publish.output }}"
`;

describe('loops (repeat)', () => {
  it('runs iterations until the condition holds, each with its own record, previous outputs carried over', async () => {
    const h = createSimHarness();
    const { record, outputs } = await h.run(compile(h, loop(5, 'fail', 3)));
    expect(record.status).toBe('succeeded');
    expect(outputs.post).toBe('draft+r1+r2+r3');
    expect(record.steps.map((s) => s.id)).toEqual(['write', 'review', 'review#1.revise', 'review#1.check', 'review#2.revise', 'review#2.check', 'review#3.revise', 'review#3.check', 'publish']);
  });

  it('on_max: fail fails the loop with LOOP_MAX_REACHED and says what to change', async () => {
    const h = createSimHarness();
    const { record } = await h.run(compile(h, loop(2, 'fail', 9)));
    expect(record.status).toBe('failed');
    expect(record.errors[0]).toMatchObject({ code: 'LOOP_MAX_REACHED' });
    expect(record.errors[0]!.message).toMatch(/still false after 2 iterations.*raise `max`.*on_max: continue/);
    expect(record.steps.find((s) => s.id === 'publish')!.status).toBe('skipped');
  });

  it('on_max: continue goes on with the last iteration', async () => {
    const h = createSimHarness();
    const { record, outputs } = await h.run(compile(h, loop(2, 'continue', 9)));
    expect(record.status).toBe('succeeded');
    expect(outputs.post).toBe('draft+r1+r2');
  });

  it('counts every iteration toward max_steps', async () => {
    const h = createSimHarness();
    const { record } = await h.run(compile(h, loop(50, 'fail', 99).replace('max_steps: 100', 'max_steps: 7')));
    expect(record.status).toBe('failed');
    expect(record.errors.map((e) => e.code)).toContain('GUARD_MAX_STEPS');
  });

  it('gives the same outputs and records on both engines, with for_each around the loop', async () => {
    const source = `
version: 1
name: per_chapter_loop
steps:
  chapter:
    for_each: [2, 1, 3]
    repeat: { until: "\${{ iteration >= item }}", max: 5 }
    steps:
      work: { agent: sim.delay, with: { ms: "\${{ item * 3 }}", output: "c\${{ index }}i\${{ iteration }}" } }
    outputs: { last: "\${{ steps.work.output }}" }
outputs:
  all: "\${{ pluck(steps.chapter.output, 'last') }}"
`;
    const a = createSimHarness();
    const ra = await a.run(compile(a, source));
    const b = createSimHarness();
    const rb = await b.run(compile(b, source), { engine: 'sequential' });
    expect(ra.outputs.all).toEqual(['c0i2', 'c1i1', 'c2i3']);
    expect(rb.outputs).toEqual(ra.outputs);
    expect(ra.record.steps.map((s) => s.id)).toEqual(rb.record.steps.map((s) => s.id));
    expect(ra.record.steps.map((s) => s.id)).toContain('chapter[2]#3.work');
  });
});
