import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { compileWorkflow } from '../plan/compile-workflow.ts';
import { loadWorkflowFile } from '../dsl/validate-workflow.ts';
import { formatDiagnostic } from '../errors/diagnostic.ts';
import { createSimHarness } from './testing/sim-harness.ts';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ucop-uses-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const CHAPTER = `
version: 1
name: chapter
inputs:
  text: { type: string, required: true }
  number: { type: integer, default: 0 }
steps:
  edit: { agent: sim.delay, with: { ms: 2, output: "\${{ inputs.text }}!" } }
  check: { agent: sim.delay, with: { ms: 1, output: "\${{ steps.edit.output }}#\${{ inputs.number }}" } }
outputs:
  text: "\${{ steps.check.output }}"
`;

describe('sub-workflows (uses)', () => {
  it('calls another file per item: with: gives its inputs, its outputs become the step output, ids nest', async () => {
    const dir = project({
      'chapter.yaml': CHAPTER,
      'book.yaml': `
version: 1
name: book
steps:
  chapter:
    for_each: [a, b]
    uses: ./chapter.yaml
    with: { text: "\${{ item }}", number: "\${{ index }}" }
outputs:
  texts: "\${{ pluck(steps.chapter.output, 'text') }}"
`,
    });
    const h = createSimHarness();
    const { workflow, diagnostics } = await loadWorkflowFile(join(dir, 'book.yaml'), { agents: h.agents });
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    const plan = compileWorkflow(workflow!, { agents: h.agents });
    const a = await h.run(plan);
    expect(a.record.status).toBe('succeeded');
    expect(a.outputs.texts).toEqual(['a!#0', 'b!#1']);
    expect(a.record.steps.map((s) => s.id)).toEqual(['chapter', 'chapter[0].edit', 'chapter[0].check', 'chapter[1].edit', 'chapter[1].check']);
    const s = createSimHarness();
    const b = await s.run(plan, { engine: 'sequential' });
    expect(b.outputs).toEqual(a.outputs);
  });

  it('USES_CYCLE: a file that calls itself, directly or through another, at the uses line', async () => {
    const selfCall = `version: 1\nname: self\nsteps:\n  again:\n    uses: ./self.yaml\n`;
    const dir = project({
      'self.yaml': selfCall,
      'a.yaml': `version: 1\nname: a\nsteps:\n  call_b:\n    uses: ./b.yaml\n`,
      'b.yaml': `version: 1\nname: b\nsteps:\n  call_a:\n    uses: ./a.yaml\n`,
    });
    const h = createSimHarness();
    const self = await loadWorkflowFile(join(dir, 'self.yaml'), { agents: h.agents });
    expect(self.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['USES_CYCLE', 5, 11]]);
    expect(self.diagnostics[0]!.message).toMatch(/self\.yaml:5:11 -> .*self\.yaml/);
    const ab = await loadWorkflowFile(join(dir, 'a.yaml'), { agents: h.agents });
    expect(ab.diagnostics.map((d) => d.code)).toEqual(['USES_CYCLE']);
    expect(ab.diagnostics[0]!.message).toMatch(/a\.yaml:5:11 -> .*b\.yaml:5:11 -> .*a\.yaml/);
  });

  it('reports a missing file, unknown and missing inputs, and problems inside the called file at its own position', async () => {
    const dir = project({
      'chapter.yaml': CHAPTER.replace('agent: sim.delay, with: { ms: 1', 'agent: sim.delai, with: { ms: 1'),
      'good.yaml': CHAPTER,
      'book.yaml': `version: 1\nname: book\nsteps:\n  c1:\n    uses: ./nope.yaml\n  c2:\n    uses: ./good.yaml\n    with: { txt: x }\n  c3:\n    uses: ./chapter.yaml\n`,
    });
    const h = createSimHarness();
    const { diagnostics } = await loadWorkflowFile(join(dir, 'book.yaml'), { agents: h.agents });
    const rows = diagnostics.map((d) => [d.file.split('/').pop(), d.code, d.line]);
    expect(rows).toEqual([
      ['book.yaml', 'FILE_NOT_FOUND', 5],
      ['book.yaml', 'AGENT_INPUT_INVALID', 6],
      ['book.yaml', 'AGENT_INPUT_INVALID', 8],
      ['chapter.yaml', 'UNKNOWN_AGENT', 9],
    ]);
  });
});
