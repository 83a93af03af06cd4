import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { FIXTURES, runUcop } from './ucop-process.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ucop-e2e-misc-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('ucop agents, verify and bench (the real binary)', () => {
  it('agents lists the built-ins with their inputs and outputs', async () => {
    const text = await runUcop(['agents']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^sim\.delay \(v\d+\)$/m);
    expect(text.stdout).toMatch(/inputs: {2}ms: number, fail_attempts\?: integer/);
    expect(text.stdout).toMatch(/^writer\.section /m);
    const json = await runUcop(['agents', '--json']);
    const { agents } = JSON.parse(json.stdout) as { agents: { name: string; inputs: { name: string; required: boolean }[]; outputSchema: object }[] };
    const ingest = agents.find((a) => a.name === 'ingest.markdown');
    expect(ingest?.inputs).toContainEqual(expect.objectContaining({ name: 'path', required: true }));
    expect(ingest?.outputSchema).toBeTypeOf('object');
  });

  it('agents includes the plugins named in config/main.yaml', async () => {
    const cwd = join(scratch, 'plugins');
    mkdirSync(join(cwd, 'config'), { recursive: true });
    writeFileSync(join(cwd, 'config/main.yaml'), `agents:\n  plugins: [${JSON.stringify(resolve(FIXTURES, 'resume/counted-agent.ts'))}]\n`);
    const result = await runUcop(['agents'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('test.counted (v1)');
    expect(result.stdout).toContain('inputs:  label: string, ms: number, items?: array<string>, item?: string');
  });

  it('a plugin that cannot be loaded is a configuration error (exit 3)', async () => {
    const cwd = join(scratch, 'bad-plugin');
    mkdirSync(join(cwd, 'config'), { recursive: true });
    writeFileSync(join(cwd, 'config/main.yaml'), 'agents:\n  plugins: [./missing-plugin.ts]\n');
    const result = await runUcop(['agents'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('CONFIG_INVALID');
    expect(result.stderr).toContain('missing-plugin.ts');
  });

  it('verify runs the chosen checks and reports each as pass or fail', async () => {
    const result = await runUcop(['verify', '--only', 'runtime', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; ok: boolean }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['runtime']);
    const text = await runUcop(['verify', '--only', 'runtime']);
    expect(text.code).toBe(0);
    expect(text.stdout.match(/^PASS runtime: /gm)).toHaveLength(1); // printed live once, not again at the end
    expect(text.stdout).toMatch(/^verify: all 1 checks passed/m);
    const unknown = await runUcop(['verify', '--only', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown check nosuch');
  });

  it('bench measures a workload and prints the speedup and the ratio to the lower bound', async () => {
    const result = await runUcop(['bench', '--workloads', 'ingestion', '--repeats', '1', '--scale', '0.5', '--noop-steps', '0', '--random-dags', '0', '--no-levels', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { workloads: { workload: string }[] };
    expect(report.workloads.map((w) => w.workload)).toEqual(['ingestion']);
    const unknown = await runUcop(['bench', '--workloads', 'nosuch']);
    expect(unknown.code).toBe(2);
  });
});
