import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { capturedIO } from '../cli-io.ts';
import { runCli } from '../program.ts';
import type { ConfigReport } from './config-show.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-config-show-'));
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config/main.yaml'), 'defaults:\n  max_parallel: 6\n  fail_fast: true\n  step_timeout: 45s\n  retry: { attempts: 2 }\n  concurrency: { llm: { limit: 3 } }\n');
  writeFileSync(
    join(dir, 'wf.yaml'),
    'version: 1\nname: wf\nconfig:\n  max_parallel: 3\n  timeout: 5m\n  retry: { delay: 2s }\nsteps:\n  a: { agent: sim.delay, with: { ms: 1 } }\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function show(args: string[], env: Record<string, string> = {}): Promise<{ code: number; report: ConfigReport; stderr: string }> {
  const io = capturedIO({ cwd: dir, env });
  const code = await runCli(['config', 'show', '--json', ...args], io);
  return { code, report: JSON.parse(io.stdout.text() || 'null') as ConfigReport, stderr: io.stderr.text() };
}

function sourceOf(report: ConfigReport, key: string): [unknown, string] | undefined {
  const entry = report.settings.find((s) => s.key === key);
  return entry ? [entry.value, entry.source] : undefined;
}

describe('ucop config show', () => {
  it('names the main configuration found in the current directory and takes its defaults', async () => {
    const { code, report } = await show([]);
    expect(code).toBe(0);
    expect(report.mainConfig).toEqual({ path: 'config/main.yaml', origin: 'cwd' });
    expect(sourceOf(report, 'max_parallel')).toEqual([6, 'config']);
    expect(sourceOf(report, 'step_timeout')).toEqual(['45s', 'config']);
    expect(sourceOf(report, 'retry.attempts')).toEqual([2, 'config']);
    expect(sourceOf(report, 'concurrency.llm')).toEqual([3, 'config']);
    expect(sourceOf(report, 'timeout')).toEqual(['30m', 'default']);
  });

  it('applies flag > env > workflow > config > default, key by key', async () => {
    const { code, report } = await show(['-w', join(dir, 'wf.yaml'), '--engine', 'sequential'], { UCOP_MAX_PARALLEL: '8', UCOP_TIMEOUT: '1m' });
    expect(code).toBe(0);
    expect(sourceOf(report, 'parallel')).toEqual([false, 'flag']);
    expect(sourceOf(report, 'max_parallel')).toEqual([8, 'env']);
    expect(sourceOf(report, 'timeout')).toEqual(['1m', 'env']);
    expect(sourceOf(report, 'retry.delay')).toEqual(['2s', 'workflow']);
    expect(sourceOf(report, 'retry.attempts')).toEqual([2, 'config']);
    expect(sourceOf(report, 'fail_fast')).toEqual([true, 'config']);
    expect(sourceOf(report, 'max_steps')).toEqual([10000, 'default']);
    const flagged = await show(['-w', join(dir, 'wf.yaml'), '--max-parallel', '2'], { UCOP_MAX_PARALLEL: '8' });
    expect(sourceOf(flagged.report, 'max_parallel')).toEqual([2, 'flag']);
  });

  it('--no-fail-fast overrides a fail_fast: true set by the configuration; --fail-fast sets it', async () => {
    expect(sourceOf((await show(['--no-fail-fast'])).report, 'fail_fast')).toEqual([false, 'flag']);
    expect(sourceOf((await show(['--fail-fast'], { UCOP_FAIL_FAST: 'no' })).report, 'fail_fast')).toEqual([true, 'flag']);
    expect(sourceOf((await show([])).report, 'fail_fast')).toEqual([true, 'config']);
  });

  it('--config and UCOP_CONFIG choose another file; a missing one is an error', async () => {
    writeFileSync(join(dir, 'other.yaml'), 'defaults:\n  max_parallel: 9\n');
    const viaFlag = capturedIO({ cwd: dir });
    expect(await runCli(['--config', 'other.yaml', 'config', 'show', '--json'], viaFlag)).toBe(0);
    const report = JSON.parse(viaFlag.stdout.text()) as ConfigReport;
    expect(report.mainConfig.origin).toBe('flag');
    expect(sourceOf(report, 'max_parallel')).toEqual([9, 'config']);
    const viaEnv = await show([], { UCOP_CONFIG: 'other.yaml' });
    expect(viaEnv.report.mainConfig.origin).toBe('env');
    const missing = capturedIO({ cwd: dir });
    expect(await runCli(['--config', 'nope.yaml', 'config', 'show'], missing)).toBe(1);
    expect(missing.stderr.text()).toContain('FILE_NOT_FOUND');
  });

  it('an invalid main configuration exits 3 with every problem as file:line:col', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'defaults:\n  max_paralel: 2\n  timeout: soon\n');
    const io = capturedIO({ cwd: dir });
    expect(await runCli(['--config', 'bad.yaml', 'config', 'show'], io)).toBe(3);
    const lines = io.stderr.text().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/bad\.yaml:2:3: CONFIG_UNKNOWN_KEY .*max_paralel/);
    expect(lines[1]).toMatch(/bad\.yaml:3:12: BAD_DURATION/);
  });

  it('an invalid providers file exits 3 with every problem as file:line:col, although no provider is called', async () => {
    mkdirSync(join(dir, 'broken-providers'));
    writeFileSync(join(dir, 'broken-providers/main.yaml'), 'providers_file: providers.yaml\n');
    writeFileSync(join(dir, 'broken-providers/providers.yaml'), 'providers:\n  - name: x\n    kind: offline\n    bogus: 1\nfallbak: [x]\n');
    const io = capturedIO({ cwd: dir });
    expect(await runCli(['--config', 'broken-providers/main.yaml', 'config', 'show'], io)).toBe(3);
    const lines = io.stderr.text().trim().split('\n');
    expect(lines).toEqual([
      `${join(dir, 'broken-providers/providers.yaml')}:4:5: CONFIG_UNKNOWN_KEY unknown key \`bogus\` in \`providers[0]\``,
      `${join(dir, 'broken-providers/providers.yaml')}:5:1: CONFIG_UNKNOWN_KEY unknown key \`fallbak\` at the top level (did you mean \`fallback\`?)`,
    ]);
    expect(io.stdout.text()).toBe('');
  });

  it('--config naming a directory is bad usage that says so, not "does not exist"', async () => {
    const io = capturedIO({ cwd: dir });
    expect(await runCli(['--config', 'config', 'config', 'show'], io)).toBe(2);
    expect(io.stderr.text()).toBe('ucop: USAGE --config config is a directory: give the main configuration file, e.g. config/main.yaml\n');
  });

  it('a bad UCOP_* variable is a configuration error (exit 3)', async () => {
    const io = capturedIO({ cwd: dir, env: { UCOP_MAX_PARALLEL: 'lots' } });
    expect(await runCli(['config', 'show'], io)).toBe(3);
    expect(io.stderr.text()).toContain('UCOP_MAX_PARALLEL');
  });

  it('prints a readable table with the source of each value', async () => {
    const io = capturedIO({ cwd: dir, env: { UCOP_FAIL_FAST: 'no' } });
    expect(await runCli(['config', 'show'], io)).toBe(0);
    const text = io.stdout.text();
    expect(text).toContain('precedence: flag > env > workflow > config > default');
    expect(text).toMatch(/ {2}fail_fast +false +\(env\)/);
    expect(text).toMatch(/ {2}max_parallel +6 +\(config\)/);
  });

  it('shows the file size limits, with a flag and a variable taking precedence over the default', async () => {
    expect((await show([])).report.fileLimits).toEqual({ workflowBytes: 1024 * 1024, configBytes: 1024 * 1024 });
    const io = capturedIO({ cwd: dir, env: { UCOP_MAX_CONFIG_BYTES: '2MiB' } });
    expect(await runCli(['--max-workflow-bytes', '3000000', 'config', 'show', '--json'], io)).toBe(0);
    expect((JSON.parse(io.stdout.text()) as ConfigReport).fileLimits).toEqual({ workflowBytes: 3_000_000, configBytes: 2 * 1024 * 1024 });
  });

  it('shows the step files setting: auto and 1000 by default, a variable and a flag over it', async () => {
    expect((await show([])).report.stepFiles).toEqual({ mode: 'auto', threshold: 1000 });
    expect((await show(['--step-files', 'all'], { UCOP_STEP_FILES: 'none', UCOP_STEP_FILES_THRESHOLD: '50' })).report.stepFiles).toEqual({ mode: 'all', threshold: 50 });
    const io = capturedIO({ cwd: dir });
    expect(await runCli(['config', 'show'], io)).toBe(0);
    expect(io.stdout.text()).toContain("Step files:         auto (every unit's file for runs of at most 1000 units, none above)");
  });
});
