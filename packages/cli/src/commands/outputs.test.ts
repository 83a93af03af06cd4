import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { capturedIO } from '../cli-io.ts';
import { runCli } from '../program.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-outputs-cli-'));
  writeFileSync(
    join(dir, 'wf.yaml'),
    [
      'version: 1',
      'name: wf',
      'steps:',
      "  fetch: { agent: sim.delay, with: { ms: 1, output: { items: [1, 2, 3] } } }",
      "  each: { agent: sim.delay, for_each: '${{ steps.fetch.output.items }}', with: { ms: 1, output: '${{ item }}' } }",
      "  summary: { agent: sim.delay, needs: [each], with: { ms: 1, output: { text: done } } }",
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function ucop(args: string[], env: Record<string, string> = {}, cwd = dir): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capturedIO({ cwd, env });
  const code = await runCli(args, io);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

function stepFilesOf(out: string): unknown {
  return (JSON.parse(readFileSync(join(dir, out, 'run.json'), 'utf8')) as { stepFiles?: unknown }).stepFiles;
}

describe('ucop run --step-files and ucop outputs', () => {
  it('a run that writes no step files says how to read them; outputs prints one unit, or all as JSON lines', async () => {
    const run = await ucop(['run', 'wf.yaml', '-o', 'none', '--step-files', 'none', '-q']);
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'none', 'steps'))).toBe(false);
    expect(run.stdout).toContain('6 step files not written (--step-files none); read them with `ucop outputs none`');

    const one = await ucop(['outputs', 'none', 'summary']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual({ text: 'done' });
    expect(JSON.parse((await ucop(['outputs', 'none', 'each[1]'])).stdout)).toBe(2);

    const all = await ucop(['outputs', 'none']);
    const lines = all.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { stepId: string; itemIndex?: number; output: unknown });
    expect(lines.map((l) => (l.itemIndex === undefined ? l.stepId : `${l.stepId}[${l.itemIndex}]`)).sort()).toEqual(['each', 'each[0]', 'each[1]', 'each[2]', 'fetch', 'summary']);
    expect(lines.find((l) => l.stepId === 'each' && l.itemIndex === undefined)?.output).toEqual([1, 2, 3]);
  });

  it('outputs --write writes the files a run in all mode writes', async () => {
    expect((await ucop(['run', 'wf.yaml', '-o', 'all', '--step-files', 'all', '-q'])).code).toBe(0);
    expect((await ucop(['run', 'wf.yaml', '-o', 'later', '--step-files', 'none', '-q'])).code).toBe(0);
    const write = await ucop(['outputs', 'later', '--write']);
    expect(write.code).toBe(0);
    expect(write.stdout).toContain('wrote 6 step files under later/steps/');
    const names = readdirSync(join(dir, 'all', 'steps')).sort();
    expect(readdirSync(join(dir, 'later', 'steps')).sort()).toEqual(names);
    for (const name of names) expect(readFileSync(join(dir, 'later', 'steps', name), 'utf8')).toBe(readFileSync(join(dir, 'all', 'steps', name), 'utf8'));
  });

  it('an unknown unit and a directory without a journal are usage errors with stable codes', async () => {
    await ucop(['run', 'wf.yaml', '-o', 'errs', '--step-files', 'none', '-q']);
    const unknown = await ucop(['outputs', 'errs', 'sumary']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('UNIT_NOT_FOUND');
    expect(unknown.stderr).toContain('did you mean `summary`?');
    const nothing = await ucop(['outputs', '.']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('JOURNAL_NOT_FOUND');
  });

  it('the setting comes from the flag, else UCOP_STEP_FILES*, else step_files: in config/main.yaml, else auto', async () => {
    const project = join(dir, 'project');
    mkdirSync(join(project, 'config'), { recursive: true });
    writeFileSync(join(project, 'wf.yaml'), readFileSync(join(dir, 'wf.yaml')));
    writeFileSync(join(project, 'config/main.yaml'), 'step_files:\n  mode: auto\n  threshold: 3\n');
    const runIn = async (out: string, args: string[] = [], env: Record<string, string> = {}) => {
      expect((await ucop(['run', 'wf.yaml', '-o', out, '-q', ...args], env, project)).code).toBe(0);
      return (JSON.parse(readFileSync(join(project, out, 'run.json'), 'utf8')) as { stepFiles: unknown }).stepFiles;
    };
    // 3 steps known at start fit under 3: the files are written until the fan-out grows the run past it.
    expect(await runIn('config')).toEqual({ mode: 'auto', threshold: 3, written: 3, skipped: 3 });
    expect(await runIn('env', [], { UCOP_STEP_FILES_THRESHOLD: '2' })).toEqual({ mode: 'auto', threshold: 2, written: 0, skipped: 6 });
    expect(await runIn('flag', ['--step-files', 'all'], { UCOP_STEP_FILES: 'none' })).toEqual({ mode: 'all', threshold: 3, written: 6, skipped: 0 });
    expect(stepFilesOf('none')).toMatchObject({ mode: 'none' });
  });

  it('refuses bad values, naming the setting', async () => {
    const flag = await ucop(['run', 'wf.yaml', '-o', 'bad', '--step-files', 'some']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('Allowed choices are all, auto, none');
    const threshold = await ucop(['run', 'wf.yaml', '-o', 'bad', '--step-files-threshold', 'many']);
    expect(threshold.code).toBe(2);
    expect(threshold.stderr).toContain('--step-files-threshold must be a whole number');
    const env = await ucop(['run', 'wf.yaml', '-o', 'bad'], { UCOP_STEP_FILES: 'sometimes' });
    expect(env.stderr).toContain('CONFIG_INVALID UCOP_STEP_FILES must be `all`, `auto` or `none`');
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });
});
