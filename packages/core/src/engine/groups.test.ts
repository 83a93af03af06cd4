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

// Per-chapter pipeline: analyze (uneven) → expand → polish, 4 chapters, analyze of chapter 3 takes 900 ms.
const CHAPTERS = `
version: 1
name: chapters
inputs:
  ms: { type: array, default: [100, 100, 100, 900] }
config: { max_parallel: 8 }
steps:
  chapter:
    for_each: "\${{ inputs.ms }}"
    steps:
      analyze: { agent: sim.delay, with: { ms: "\${{ item }}", output: "a\${{ index }}" } }
      expand: { agent: sim.delay, with: { ms: 10, output: "\${{ steps.analyze.output }}-e" } }
      polish: { agent: sim.delay, with: { ms: 10, output: "\${{ steps.expand.output }}-p" } }
    outputs:
      text: "\${{ steps.polish.output }}"
  assemble:
    agent: sim.delay
    with: { ms: 1, output: "\${{ pluck(steps.chapter.output, 'text') }}" }
outputs:
  book: "\${{ steps.assemble.output }}"
`;

describe('groups with for_each', () => {
  it('pipelines instances: an inner step of one instance never waits for a sibling instance', async () => {
    const h = createSimHarness();
    const plan = compile(h, CHAPTERS);
    const { record, outputs } = await h.run(plan);
    expect(record.status).toBe('succeeded');
    expect(outputs.book).toEqual(['a0-e-p', 'a1-e-p', 'a2-e-p', 'a3-e-p']);
    const start = (id: string) => h.recorder.all().find((r) => r.stepId === id)!.startedAt;
    // Chapter 0's expand starts when its own analyze is done (100 ms), not after chapter 3's (900 ms).
    expect(start('chapter[0].expand')).toBe(100);
    expect(start('chapter[0].polish')).toBe(110);
    expect(start('chapter[3].expand')).toBe(900);
    expect(start('assemble')).toBe(920);
    // Stable ids in the record: group, then each instance's inner steps in order.
    expect(record.steps.map((s) => s.id)).toEqual([
      'chapter',
      'chapter[0].analyze', 'chapter[0].expand', 'chapter[0].polish',
      'chapter[1].analyze', 'chapter[1].expand', 'chapter[1].polish',
      'chapter[2].analyze', 'chapter[2].expand', 'chapter[2].polish',
      'chapter[3].analyze', 'chapter[3].expand', 'chapter[3].polish',
      'assemble',
    ]);
  });

  it('caps instances with the group max_parallel and an inner step across instances with a concurrency group', async () => {
    const h = createSimHarness();
    const source = CHAPTERS.replace('    for_each: "${{ inputs.ms }}"', '    for_each: "${{ inputs.ms }}"\n    max_parallel: 2').replace(
      'polish: { agent: sim.delay,',
      'polish: { agent: sim.delay, concurrency: { group: polish, limit: 1 },',
    );
    const plan = compile(h, source);
    const { record } = await h.run(plan);
    expect(record.status).toBe('succeeded');
    const runs = h.recorder.all();
    const overlap = (prefix: RegExp) => {
      const spans = runs.filter((r) => prefix.test(r.stepId)).map((r) => [r.startedAt, r.endedAt!] as const);
      let most = 0;
      for (const [s] of spans) most = Math.max(most, spans.filter(([a, b]) => a <= s && s < b).length);
      return most;
    };
    expect(overlap(/\.polish$/)).toBe(1);
    // At most two chapters started and not finished: chapter 2 starts only when chapter 0 ends (120 ms).
    expect(runs.find((r) => r.stepId === 'chapter[2].analyze')!.startedAt).toBe(120);
  });

  it('nests groups: epic → feature → task, flattened outside, same result on both engines', async () => {
    const source = `
version: 1
name: nested
config: { max_parallel: 3 }
steps:
  epic:
    for_each: [1, 2]
    steps:
      split: { agent: sim.delay, with: { ms: 5, output: "\${{ range(item + 1) }}" } }
      feature:
        for_each: "\${{ steps.split.output }}"
        max_parallel: 2
        steps:
          task: { agent: sim.delay, with: { ms: "\${{ 3 + item }}", output: "t\${{ item }}" } }
        outputs: { tasks: "\${{ [steps.task.output] }}" }
    outputs: { tasks: "\${{ flatten(pluck(steps.feature.output, 'tasks')) }}" }
  backlog: { agent: sim.delay, with: { ms: 1, output: "\${{ flatten(pluck(steps.epic.output, 'tasks')) }}" } }
outputs:
  tasks: "\${{ steps.backlog.output }}"
`;
    const parallel = createSimHarness();
    const a = await parallel.run(compile(parallel, source));
    const sequential = createSimHarness();
    const b = await sequential.run(compile(sequential, source), { engine: 'sequential' });
    expect(a.record.status).toBe('succeeded');
    expect(a.outputs.tasks).toEqual(['t0', 't1', 't0', 't1', 't2']);
    expect(b.outputs).toEqual(a.outputs);
    expect(a.record.steps.map((s) => s.id)).toEqual(b.record.steps.map((s) => s.id));
    expect(a.record.steps.map((s) => s.id)).toContain('epic[1].feature[2].task');
  });

  it('fails the group when an inner step fails, skips what depends on it, and keeps other instances going', async () => {
    const h = createSimHarness();
    const source = `
version: 1
name: failing
steps:
  g:
    for_each: [0, 1]
    steps:
      a: { agent: sim.delay, with: { ms: 5, fail_attempts: "\${{ 1 - item }}", retryable: false } }
      b: { agent: sim.delay, needs: [a], with: { ms: 5 } }
    outputs: { ok: "\${{ steps.b.status }}" }
  after: { agent: sim.delay, with: { ms: 1, output: "\${{ steps.g.output }}" } }
`;
    const { record } = await h.run(compile(h, source));
    expect(record.status).toBe('failed');
    const status = Object.fromEntries(record.steps.map((s) => [s.id, s.status]));
    expect(status).toMatchObject({ g: 'failed', 'g[0].a': 'failed', 'g[0].b': 'skipped', 'g[1].a': 'succeeded', 'g[1].b': 'succeeded', after: 'skipped' });
  });
});

describe('groups under the run-wide rules', () => {
  const FAILING = (extra: string) => `
version: 1
name: rules
config: { max_parallel: 4${extra} }
steps:
  g:
    for_each: [0, 1, 2, 3]
    max_parallel: 2
    steps:
      a: { agent: sim.delay, with: { ms: "\${{ 10 + item * 10 }}", fail_attempts: "\${{ item == 0 ? 1 : 0 }}", retryable: false } }
      b: { agent: sim.delay, needs: [a], with: { ms: 50 } }
    outputs: { b: "\${{ steps.b.status }}" }
  after: { agent: sim.delay, with: { ms: 1, output: "\${{ steps.g.status }}" } }
outputs:
  after: "\${{ steps.after.output }}"
`;

  it('fail_fast: the first inner failure cancels the other instances and what has not started', async () => {
    const h = createSimHarness();
    const { record } = await h.run(compile(h, FAILING(', fail_fast: true').replace('item == 0 ? 1 : 0', 'if(item == 0, 1, 0)')));
    expect(record.status).toBe('failed');
    const status = Object.fromEntries(record.steps.map((s) => [s.id, s.status]));
    expect(status['g[0].a']).toBe('failed');
    expect(status['g[1].a']).toBe('cancelled');
    expect(status.g).toBe('failed');
    expect(status.after).toBe('cancelled');
    // Instances 2 and 3 were held back by max_parallel and never started.
    expect(record.steps.some((s) => s.id.startsWith('g[2]'))).toBe(false);
  });

  it('continue_on_error on a group: its failure does not fail the run, and its dependents run', async () => {
    const h = createSimHarness();
    const source = FAILING('').replace('item == 0 ? 1 : 0', 'if(item == 0, 1, 0)').replace('    max_parallel: 2\n', '    max_parallel: 2\n    continue_on_error: true\n');
    const { record, outputs } = await h.run(compile(h, source));
    expect(record.status).toBe('succeeded');
    expect(outputs.after).toBe('failed');
    expect(record.steps.find((s) => s.id === 'g[3].b')!.status).toBe('succeeded');
  });

  it('the levels policy opens top-level steps level by level, groups included', async () => {
    const h = createSimHarness();
    const { record, outputs } = await h.run(compile(h, CHAPTERS), { scheduling: 'levels' });
    expect(record.status).toBe('succeeded');
    expect(outputs.book).toEqual(['a0-e-p', 'a1-e-p', 'a2-e-p', 'a3-e-p']);
  });
});
