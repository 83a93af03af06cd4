import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { runUcop } from './ucop-process.ts';

/**
 * Large runs write no `steps/` files (the default `--step-files auto`, threshold 1,000 units), and
 * `ucop outputs` recovers them from the journal: printed, or written byte for byte as `--step-files all` writes them.
 */
const STEPS = 1_100;
let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'ucop-e2e-step-files-'));
  const steps = Array.from({ length: STEPS }, (_, i) => `  s${i}: { agent: sim.delay, ${i > 0 ? `needs: [s${i - 1 - (i % 7 === 0 ? 0 : (i - 1) % 2)}], ` : ''}with: { ms: 0, output: { n: ${i} } } }`);
  writeFileSync(join(project, 'large.yaml'), ['version: 1', 'name: large', 'config: { max_parallel: 8 }', 'steps:', ...steps, ''].join('\n'));
  writeFileSync(
    join(project, 'fan.yaml'),
    ['version: 1', 'name: fan', 'steps:', "  list: { agent: sim.delay, with: { ms: 0, output: { items: '${{ range(0, 1200) }}' } } }", "  each: { agent: sim.delay, for_each: '${{ steps.list.output.items }}', with: { ms: 0, output: '${{ item }}' } }", ''].join('\n'),
  );
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

function record(out: string): { stepFiles: unknown; steps: { output?: string }[] } {
  return JSON.parse(readFileSync(join(project, out, 'run.json'), 'utf8')) as { stepFiles: unknown; steps: { output?: string }[] };
}

describe('step files of large runs', () => {
  it(`a run of ${STEPS} steps writes no steps/ file; ucop outputs prints and writes them as an all run would`, async () => {
    const run = await runUcop(['run', 'large.yaml', '-o', 'out', '-q'], { cwd: project });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(join(project, 'out', 'steps'))).toBe(false);
    expect(run.stdout).toContain(`${STEPS} step files not written (more than 1000 units, --step-files auto); read them with \`ucop outputs out\``);
    expect(record('out').stepFiles).toEqual({ mode: 'auto', threshold: 1000, written: 0, skipped: STEPS });
    expect(record('out').steps.some((s) => s.output !== undefined)).toBe(false);

    const one = await runUcop(['outputs', 'out', 's1099'], { cwd: project });
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual({ n: 1099 });
    const all = await runUcop(['outputs', 'out'], { cwd: project });
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(STEPS);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { stepId: string }).stepId)).size).toBe(STEPS);

    const every = await runUcop(['run', 'large.yaml', '-o', 'every', '-q', '--step-files', 'all'], { cwd: project });
    expect(every.code).toBe(0);
    const write = await runUcop(['outputs', 'out', '--write'], { cwd: project });
    expect(write.code).toBe(0);
    const names = readdirSync(join(project, 'every', 'steps')).sort();
    expect(names).toHaveLength(STEPS);
    expect(readdirSync(join(project, 'out', 'steps')).sort()).toEqual(names);
    for (const name of names) expect(readFileSync(join(project, 'out', 'steps', name), 'utf8'), name).toBe(readFileSync(join(project, 'every', 'steps', name), 'utf8'));

    // Resume takes every unit from the journal, and writes nothing the run would not.
    const resumed = await runUcop(['run', 'large.yaml', '-o', 'every', '-q', '--resume'], { cwd: project });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`${STEPS} steps resumed`);
    expect(resumed.stdout).not.toContain("not written");
  });

  it('a fan-out that grows the run past the threshold stops writing files at it', async () => {
    const run = await runUcop(['run', 'fan.yaml', '-o', 'fan', '-q'], { cwd: project });
    expect(run.code).toBe(0);
    expect(record('fan').stepFiles).toEqual({ mode: 'auto', threshold: 1000, written: 1000, skipped: 202 });
    expect(readdirSync(join(project, 'fan', 'steps'))).toHaveLength(1000);
    const last = await runUcop(['outputs', 'fan', 'each[1199]'], { cwd: project });
    expect(JSON.parse(last.stdout)).toBe(1199);
  });
});
