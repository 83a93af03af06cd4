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

// Chapter i edits for edit_ms[i], then checks; chapter 0's check flags chapters 2 and 1; chapter 2's edit is slow.
const MANUSCRIPT = (maxOpen = 100) => `
version: 1
name: manuscript
inputs:
  edit_ms: { type: array, default: [10, 10, 200] }
  flags: { type: array, default: [[2, 1], [], []] }
config: { max_parallel: 8 }
steps:
  chapter:
    for_each: "\${{ inputs.edit_ms }}"
    steps:
      edit: { agent: sim.delay, with: { ms: "\${{ item }}", output: "e\${{ index }}" } }
      check: { agent: sim.delay, needs: [edit], with: { ms: 5, output: { flags: "\${{ inputs.flags[index] }}" } } }
    outputs: { text: "\${{ steps.edit.output }}" }
  fix:
    agent: sim.delay
    follow_up:
      from: chapter.check
      each: "\${{ output.flags }}"
      target: "chapter[\${{ item }}].edit"
      max_open: ${maxOpen}
    with: { ms: 3, output: "fix \${{ item }} from \${{ source }}" }
outputs:
  fixes: "\${{ steps.fix.output }}"
`;

describe('follow-up tasks', () => {
  it('creates tasks from an output; each waits for its creator and its target only', async () => {
    const h = createSimHarness();
    const { record, outputs } = await h.run(compile(h, MANUSCRIPT()));
    expect(record.status).toBe('succeeded');
    expect(outputs.fixes).toEqual(['fix 2 from chapter[0].check', 'fix 1 from chapter[0].check']);
    const start = (id: string) => h.recorder.all().find((r) => r.stepId === id)!.startedAt;
    // chapter[0].check ends at 15: the fix of chapter 1 (edited by 10) starts then; the fix of chapter 2 waits for its edit (200).
    expect(start('fix[chapter[0].check.1]')).toBe(15);
    expect(start('fix[chapter[0].check.0]')).toBe(200);
    expect(record.steps.map((s) => s.id).filter((id) => id.startsWith('fix'))).toEqual(['fix', 'fix[chapter[0].check.0]', 'fix[chapter[0].check.1]']);
  });

  it('same outputs and records on the sequential engine', async () => {
    const a = createSimHarness();
    const ra = await a.run(compile(a, MANUSCRIPT()));
    const b = createSimHarness();
    const rb = await b.run(compile(b, MANUSCRIPT()), { engine: 'sequential' });
    expect(rb.outputs).toEqual(ra.outputs);
    expect(rb.record.steps.map((s) => [s.id, s.status])).toEqual(ra.record.steps.map((s) => [s.id, s.status]));
  });

  it('FOLLOW_UP_LIMIT: past max_open no task is created and the run stops, saying what to change', async () => {
    const h = createSimHarness();
    const { record } = await h.run(compile(h, MANUSCRIPT(1)));
    expect(record.status).toBe('failed');
    expect(record.errors[0]).toMatchObject({ code: 'FOLLOW_UP_LIMIT' });
    expect(record.errors[0]!.message).toMatch(/2 follow-ups of `fix` would be open at once \(max_open: 1\).*raise `follow_up.max_open`/);
    expect(record.steps.filter((s) => s.id.startsWith('fix['))).toEqual([]);
  });

  it('FOLLOW_UP_TARGET_UNKNOWN: a target that never exists fails the task instead of hanging', async () => {
    const h = createSimHarness();
    const { record } = await h.run(compile(h, MANUSCRIPT().replace('flags: { type: array, default: [[2, 1], [], []] }', 'flags: { type: array, default: [[7], [], []] }')));
    expect(record.status).toBe('failed');
    expect(record.steps.find((s) => s.id === 'fix[chapter[0].check.0]')).toMatchObject({ status: 'failed', error: { code: 'FOLLOW_UP_TARGET_UNKNOWN' } });
  });

  it('a template whose creators are skipped as the run starts completes with no task, on both engines', async () => {
    // The group is a root skipped when it opens, before the engine's pass over the plan has found the template:
    // its completion must still count for the template (which then completes empty), not open it as a step.
    const skipped = MANUSCRIPT().replace('  chapter:\n    for_each:', '  chapter:\n    if: "${{ false }}"\n    for_each:');
    expect(skipped).toContain('if: "${{ false }}"');
    for (const engine of ['parallel', 'sequential'] as const) {
      const h = createSimHarness();
      const { record, outputs } = await h.run(compile(h, skipped), { engine });
      expect(record.status, engine).toBe('succeeded');
      expect(outputs.fixes, engine).toEqual([]);
      expect(record.steps.map((s) => [s.id, s.status]), engine).toEqual([
        ['chapter', 'skipped'],
        ['fix', 'succeeded'],
      ]);
      expect(h.recorder.all(), engine).toEqual([]);
    }
  });
});
