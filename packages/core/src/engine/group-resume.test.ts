import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { compileWorkflow } from '../plan/compile-workflow.ts';
import { validateWorkflowSource } from '../dsl/validate-workflow.ts';
import { formatDiagnostic } from '../errors/diagnostic.ts';
import { createSimHarness, type SimHarness } from './testing/sim-harness.ts';
import type { CompiledPlan } from '../plan/plan-types.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function compile(h: SimHarness, source: string): CompiledPlan {
  const { workflow, diagnostics } = validateWorkflowSource(source, 'wf.yaml', { agents: h.agents });
  if (!workflow) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return compileWorkflow(workflow, { agents: h.agents });
}

// A loop inside each instance, and follow-up tasks created from the loop's checks.
const SOURCE = `
version: 1
name: resume_groups
inputs:
  flaky: { type: integer, default: 0 }
steps:
  chapter:
    for_each: [a, b]
    steps:
      edit: { agent: sim.delay, with: { ms: 5, output: "\${{ item }}" } }
      review:
        repeat: { until: "\${{ iteration >= 2 }}", max: 3 }
        steps:
          check: { agent: sim.delay, with: { ms: 3, output: { flags: "\${{ if(iteration == 2, [index], []) }}" } } }
        outputs: { flags: "\${{ steps.check.output.flags }}" }
    outputs: { text: "\${{ steps.edit.output }}" }
  fix:
    agent: sim.delay
    follow_up: { from: chapter.review.check, each: "\${{ output.flags }}", target: "chapter[\${{ item }}].edit" }
    with: { ms: 2, output: "fix \${{ item }}", fail_attempts: "\${{ inputs.flaky }}", retryable: false }
outputs:
  fixes: "\${{ steps.fix.output }}"
`;

describe('resume at instance, iteration and task granularity', () => {
  it('records every instance, iteration and task under its stable id, and a resumed run reuses all of them', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ucop-group-resume-'));
    dirs.push(out);
    const first = createSimHarness();
    const a = await first.run(compile(first, SOURCE), { outDir: out });
    expect(a.record.status).toBe('succeeded');
    expect(a.outputs.fixes).toEqual(['fix 0', 'fix 1']);
    const ids = a.record.steps.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining(['chapter[1].review#2.check', 'fix[chapter[0].review#2.check.0]', 'fix[chapter[1].review#2.check.0]']),
    );
    const files = readdirSync(join(out, 'steps'));
    expect(files).toEqual(expect.arrayContaining(['chapter[0].review#1.check.json', 'fix[chapter[1].review#2.check.0].json', 'chapter.json']));

    const second = createSimHarness();
    const b = await second.run(compile(second, SOURCE), { outDir: out, resume: true });
    expect(b.record.status).toBe('succeeded');
    expect(b.outputs).toEqual(a.outputs);
    expect(second.recorder.all()).toEqual([]);
    const units = b.record.steps.filter((s) => s.agent === 'sim.delay' && s.id !== 'fix');
    expect(units.length).toBe(2 + 4 + 2);
    expect(units.every((s) => s.resumed === true)).toBe(true);
  });

  it('--from-step on one iteration reruns it and what depends on it, not the other instance', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ucop-group-resume-'));
    dirs.push(out);
    const first = createSimHarness();
    await first.run(compile(first, SOURCE), { outDir: out });
    const second = createSimHarness();
    const b = await second.run(compile(second, SOURCE), { outDir: out, resume: { fromStep: 'chapter[0].review#2' } });
    expect(b.record.status).toBe('succeeded');
    expect(second.recorder.all().map((r) => r.stepId).sort()).toEqual(['chapter[0].review#2.check', 'fix[chapter[0].review#2.check.0]']);
  });
});
