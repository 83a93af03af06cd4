import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { FIXTURES, REPO_ROOT, runUcop, ucopBinary } from './ucop-process.ts';

const valid = resolve(FIXTURES, 'valid.yaml');
const invalid = resolve(FIXTURES, 'invalid.yaml');

describe('ucop (the real binary)', () => {
  it('--help lists the commands and documents the exit codes', async () => {
    const result = await runUcop(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['validate', 'plan', 'graph', 'run', 'generate', 'agents', 'config', 'schema']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(result.stdout).toContain('Exit codes:');
    expect(result.stdout).toMatch(/3 {2}invalid workflow or configuration/);
    expect(result.stdout).toMatch(/5 {2}timed out/);
  });

  it('--version prints the CLI package version', async () => {
    const pkg = JSON.parse(readFileSync(resolve(REPO_ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string };
    const result = await runUcop(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it('an unknown command or option is bad usage (exit 2) with a suggestion', async () => {
    const command = await runUcop(['valdate', valid]);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'valdate'");
    expect(command.stderr).toContain('validate');
    const option = await runUcop(['plan', valid, '--max-paralel', '3']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--max-paralel'");
    const value = await runUcop(['plan', valid, '--max-parallel', 'zero']);
    expect(value.code).toBe(2);
    expect(value.stderr).toContain('--max-parallel');
  });

  it('no command at all is bad usage and shows help', async () => {
    const result = await runUcop([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: ucop');
  });

  it('validate: a good file passes with exit 0', async () => {
    const result = await runUcop(['validate', valid]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('valid');
  });

  it('validate: a bad file prints every error as file:line:col: CODE message and exits 3', async () => {
    const result = await runUcop(['validate', invalid, valid]);
    expect(result.code).toBe(3);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith(invalid));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${escape(invalid)}:7:\\d+: UNKNOWN_NEEDS .*missing_step`));
    expect(lines[1]).toMatch(new RegExp(`^${escape(invalid)}:9:\\d+: UNKNOWN_AGENT .*no\\.such_agent`));
  });

  it('validate --json: one document with the diagnostics of each file, nothing else on stdout', async () => {
    const result = await runUcop(['validate', '--json', invalid, valid]);
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as { valid: boolean; files: { file: string; valid: boolean; diagnostics: { code: string; line: number }[] }[] };
    expect(report.valid).toBe(false);
    expect(report.files.map((f) => f.valid)).toEqual([false, true]);
    expect(report.files[0]!.diagnostics.map((d) => d.code).sort()).toEqual(['UNKNOWN_AGENT', 'UNKNOWN_NEEDS']);
  });

  it('validate: a missing file is reported, not a crash', async () => {
    const result = await runUcop(['validate', resolve(FIXTURES, 'nope.yaml')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('nope.yaml');
    expect(result.stderr).not.toContain('    at ');
  });

  it('schema prints the workflow JSON Schema', async () => {
    const result = await runUcop(['schema']);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(schema['$schema']).toContain('2020-12');
    expect(result.stdout).toBe(readFileSync(resolve(REPO_ROOT, 'packages/core/schema/workflow.schema.json'), 'utf8').replace(/\n?$/, '\n'));
  });

  it('plan --json gives the groups, critical path, lower bound and speedup', async () => {
    const result = await runUcop(['plan', valid, '--json', '--max-parallel', '2']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      groups: string[][];
      criticalPath: { steps: string[]; ms: number };
      estimate: { workers: number; lowerBoundMs: number; totalWorkMs: number; estimatedSpeedup: number };
      steps: { id: string; estimateMs: number }[];
      settingSources: Record<string, string>;
    };
    expect(plan.settingSources['max_parallel']).toBe('flag');
    expect(plan.groups).toEqual([['a', 'b', 'c'], ['join']]);
    expect(plan.criticalPath).toEqual({ steps: ['c', 'join'], ms: 350 });
    expect(plan.estimate.workers).toBe(2);
    expect(plan.estimate.totalWorkMs).toBe(650);
    expect(plan.estimate.lowerBoundMs).toBe(350);
    expect(plan.estimate.estimatedSpeedup).toBeCloseTo(650 / 350);
  });

  it('plan prints a readable report', async () => {
    const result = await runUcop(['plan', valid]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Critical path: c -> join');
    expect(result.stdout).toContain('Estimated speedup over sequential');
  });

  it('plan on an invalid file exits 3 with the diagnostics; with --json, stdout is one JSON error document', async () => {
    const result = await runUcop(['plan', invalid, '--json']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('UNKNOWN_AGENT');
    const document = JSON.parse(result.stdout) as { ok: boolean; exitCode: number; errors: { code: string; file: string; line: number }[] };
    expect(document).toMatchObject({ ok: false, exitCode: 3 });
    expect(document.errors.map((e) => e.code)).toContain('UNKNOWN_AGENT');
    expect(document.errors.every((e) => e.file.endsWith('invalid.yaml') && e.line > 0)).toBe(true);
  });

  it('graph prints Mermaid by default and DOT on request', async () => {
    const mermaid = await runUcop(['graph', valid]);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^(graph|flowchart) /);
    expect(mermaid.stdout).toMatch(/a\b.*-->.*join/);
    const dot = await runUcop(['graph', valid, '--format', 'dot']);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/digraph/);
    expect(dot.stdout).toMatch(/"?c"?\s*->\s*"?join"?/);
    const bad = await runUcop(['graph', valid, '--format', 'png']);
    expect(bad.code).toBe(2);
  });
});

/** A Node older than 24 on this machine (the system one, usually), to check the binary's refusal. */
function oldNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    const probe = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    if (probe.status === 0 && Number(probe.stdout.split('.')[0]) < 24) return candidate;
  }
  return undefined;
}

describe('ucop on an old Node', () => {
  const node = oldNode();
  it.skipIf(node === undefined)('refuses with a clear message instead of a syntax error', () => {
    const result = spawnSync(node!, [ucopBinary(), '--version'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Node.js 24 or newer is required');
    expect(result.stderr).toContain('npx');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
