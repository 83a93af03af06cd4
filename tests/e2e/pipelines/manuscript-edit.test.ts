import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStubLlmServer, type StubLlmServer } from '../../../packages/agents/src/providers/testing/stub-llm-server.ts';
import { runUcop } from '../cli/ucop-process.ts';
import { pipelineProject, readRecord, stubProvidersYaml, type PipelineProject } from './pipeline-project.ts';

const EXAMPLE = 'examples/manuscript/keeper-of-skarholm.md';
let project: PipelineProject | undefined;
afterEach(() => project?.remove());

describe('workflows/manuscript_edit.yaml, offline from a fresh copy', () => {
  it('finds the planted cross-chapter problems, fixes them, re-checks, and says where the results are', async () => {
    project = pipelineProject();
    const result = await runUcop(['run', 'workflows/manuscript_edit.yaml', '-i', `manuscript=${EXAMPLE}`, '-o', 'out/ms', '--quiet'], { cwd: project.dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`manuscript: ${project.path('out/ms/manuscript.md')}`);
    expect(result.stdout).toContain(`report: ${project.path('out/ms/report.md')}`);
    expect(result.stdout).toContain('record:  out/ms/run.json');
    const record = readRecord(project.path('out/ms'));
    expect(record.outputs).toMatchObject({ flags_found: 4, flags_fixed: 4, flags_open: 0 });
    // Chapters are pipelined instances; one fix round closed every flag.
    expect(record.steps.filter((s) => /^chapter\[\d+\]\.polish$/.test(s.id))).toHaveLength(15);
    expect(record.steps.some((s) => s.id.startsWith('fixes#2'))).toBe(false);

    const report = JSON.parse(project.read('out/ms/report.json')) as { offline: boolean; chapters: { index: number; flags: { kind: string; target: number; found: string; expected: string }[] }[] };
    expect(report.offline).toBe(true);
    const flags = report.chapters.flatMap((c) => c.flags.map((f) => [c.index, f.kind, f.target, f.found, f.expected]));
    expect(flags).toEqual([
      [8, 'name_variant', 1, 'Edwin', 'Edvin'],
      [10, 'date_conflict', 2, '1871', '1868'],
      [12, 'name_variant', 1, 'Brenmouth', 'Brennmouth'],
      [13, 'number_conflict', 4, '221', '212'],
    ]);
    const book = project.read('out/ms/manuscript.md');
    expect(book).not.toMatch(/Edwin|Brenmouth|born in 1871|221 steps|the the/);
    expect(book).toContain('“Tobias will come on the next boat,”');
    expect(book.match(/^## /gm)).toHaveLength(15);
    const md = project.read('out/ms/report.md');
    expect(md).toContain('does not invent prose');
    expect(md).toMatch(/Flesch reading ease \d/);
    expect(md).toContain('long sentence');
  });

  it('reads a directory of chapter files; facts=report leaves contradicting facts to the editor', async () => {
    project = pipelineProject();
    const dir = project.path('chapters');
    mkdirSync(dir);
    const chapters = ['Then Ada Brook was born in 1901 in Carrow.', 'Then Ada walked to Carrow.', 'Then Ada walked to Carow again.', 'They said Ada was born in 1903.'];
    chapters.forEach((text, i) => writeFileSync(join(dir, `0${i + 1}.md`), `# Part ${i + 1}\n\n${text}\n`));
    const result = await runUcop(['run', 'workflows/manuscript_edit.yaml', '-i', 'manuscript=chapters', '-i', 'facts=report', '-o', 'out/dir', '--quiet'], { cwd: project.dir });
    expect(result.code).toBe(0);
    const record = readRecord(project.path('out/dir'));
    expect(record.outputs).toMatchObject({ flags_found: 2, flags_fixed: 1, flags_open: 1 });
    // Round 1 fixed the name and left the date; round 2 fixed nothing more, so the loop stopped (no progress).
    expect([...new Set(record.steps.map((s) => s.id).filter((id) => id.startsWith('fixes#')))].sort()).toEqual(['fixes#1.fix', 'fixes#1.recheck', 'fixes#2.fix', 'fixes#2.recheck']);
    const book = project.read('out/dir/manuscript.md');
    expect(book).toContain('Then Ada walked to Carrow again.');
    expect(book).toContain('born in 1903');
    expect(project.read('out/dir/report.md')).toContain('left for the editor');
  });
});

describe('workflows/manuscript_edit.yaml with a provider (the stub OpenAI-compatible server)', () => {
  let stub: StubLlmServer;
  beforeAll(async () => {
    stub = await startStubLlmServer({ behaviour: () => ({ kind: 'ok', text: 'An expanded chapter in which Edvin Soll walks along the quay.' }) });
  });
  afterAll(() => stub.close());

  it('expands short chapters with the model, and the report says which provider did', async () => {
    project = pipelineProject(stubProvidersYaml(stub.baseUrl));
    const result = await runUcop(['run', 'workflows/manuscript_edit.yaml', '-i', `manuscript=${EXAMPLE}`, '-i', 'min_words=100', '-o', 'out/ms', '--quiet'], { cwd: project.dir });
    expect(result.code).toBe(0);
    const report = JSON.parse(project.read('out/ms/report.json')) as { offline: boolean; chapters: { expansion: string }[] };
    expect(report.offline).toBe(false);
    const expanded = report.chapters.filter((c) => c.expansion.startsWith('expanded'));
    // The example's chapters are 87-108 words: those under 100 went to the model, the others were kept.
    expect(expanded.length).toBeGreaterThan(0);
    expect(expanded.length).toBeLessThan(15);
    expect(expanded.length).toBe(stub.completions().length);
    expect(expanded[0]!.expansion).toContain('by stub/stub-model');
    expect(project.read('out/ms/manuscript.md')).toContain('An expanded chapter in which Edvin Soll walks along the quay.');
  });
});
