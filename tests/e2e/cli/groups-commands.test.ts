import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { FIXTURES, runUcop } from './ucop-process.ts';

const workflow = resolve(FIXTURES, 'groups.yaml');
const dir = mkdtempSync(join(tmpdir(), 'ucop-e2e-groups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('groups from the command line (issue 8)', () => {
  it('run --dry-run validates, compiles and resolves the inputs, prints the plan and runs nothing', async () => {
    const result = await runUcop(['run', workflow, '--dry-run', '-o', 'out'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dry run: the workflow is valid and its inputs resolve; nothing was run');
    expect(result.stdout).toMatch(/chapter .*group .*30ms x 12/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('graph draws the group as a Mermaid subgraph; run records the instances under their stable ids', async () => {
    const graph = await runUcop(['graph', workflow], { cwd: dir });
    expect(graph.code).toBe(0);
    expect(graph.stdout).toContain('subgraph chapter["chapter (for each, ×12)"]');
    const run = await runUcop(['run', workflow, '-o', 'real', '--quiet'], { cwd: dir });
    expect(run.code).toBe(0);
    const record = JSON.parse(readFileSync(join(dir, 'real', 'run.json'), 'utf8')) as { outputs: unknown; steps: { id: string }[] };
    expect(record.outputs).toEqual({ book: ['a!', 'b!', 'c!'] });
    expect(record.steps.map((s) => s.id)).toContain('chapter[2].polish');
    expect(existsSync(join(dir, 'real', 'steps', 'chapter[2].polish.json'))).toBe(true);
  });
});
