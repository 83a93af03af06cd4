import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { FIXTURES, collect, runUcop, spawnUcop } from './ucop-process.ts';

/**
 * Kill-and-resume with a real child process: `ucop run` on a slow workflow whose agent (a test plugin)
 * logs every invocation to a file, SIGKILLed once run.json shows finished steps, then run again with
 * --resume into the same directory.
 */
const WORKFLOW = resolve(FIXTURES, 'resume/slow.yaml');
const ALL_UNITS = ['s1', 's2', 's3', 's4', 'fan[0]', 'fan[1]', 'fan[2]', 's5', 'join'];

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'ucop-e2e-resume-'));
  mkdirSync(join(project, 'config'));
  writeFileSync(join(project, 'config/main.yaml'), `agents:\n  plugins: [${JSON.stringify(resolve(FIXTURES, 'resume/counted-agent.ts'))}]\n`);
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

interface RecordStep {
  id: string;
  itemIndex?: number;
  status: string;
  output?: string;
  resumed?: boolean;
}

function unitName(step: RecordStep): string {
  return step.itemIndex === undefined ? step.id : `${step.id}[${step.itemIndex}]`;
}

function readRecord(dir: string): { status?: string; steps: RecordStep[] } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { status?: string; steps: RecordStep[] };
  } catch {
    return undefined; // not written yet
  }
}

function invocations(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}

/** Every file under `dir/steps`, by name, with its content. */
function stepFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(join(dir, 'steps')).sort()) files[name] = readFileSync(join(dir, 'steps', name), 'utf8');
  return files;
}

function run(args: string[], log: string) {
  return runUcop(['run', WORKFLOW, ...args], { cwd: project, env: { COUNTED_AGENT_LOG: log } });
}

describe('kill and resume (real child process, SIGKILL)', () => {
  it('a resumed run does not redo finished steps, and its files equal those of an uninterrupted run', async () => {
    // The reference: one uninterrupted run.
    const reference = await run(['-o', 'uninterrupted', '--quiet'], join(project, 'reference.log'));
    expect(reference.code).toBe(0);
    expect(invocations(join(project, 'reference.log')).sort()).toEqual([...ALL_UNITS].sort());

    // The interrupted run: killed as soon as two finished units have their output files.
    const out = join(project, 'interrupted');
    const firstLog = join(project, 'first.log');
    const child = spawnUcop(['run', WORKFLOW, '-o', out, '--quiet'], { cwd: project, env: { COUNTED_AGENT_LOG: firstLog } });
    const exited = collect(child);
    let finishedBeforeKill = 0;
    for (let waited = 0; waited < 60_000 && child.exitCode === null; waited += 20) {
      // Succeeded with its output file on disk: run.json and the steps/ files are views written after the
      // journal, not at the same instant, so count only units whose file is already there.
      finishedBeforeKill = readRecord(out)?.steps.filter((s) => s.status === 'succeeded' && s.output && existsSync(join(out, s.output))).length ?? 0;
      if (finishedBeforeKill >= 2) break;
      await sleep(20);
    }
    expect(child.exitCode, 'the run finished before it could be killed: make the fixture slower').toBeNull();
    child.kill('SIGKILL');
    const killed = await exited;
    expect(killed.signal).toBe('SIGKILL');

    const atKill = readRecord(out)!;
    expect(atKill.status).not.toBe('succeeded');
    // Finished units whose output file made it to disk: these must be reused, not rerun.
    const reusable = atKill.steps.filter((s) => s.status === 'succeeded' && s.output && existsSync(join(out, s.output))).map(unitName);
    expect(reusable.length).toBeGreaterThanOrEqual(2);
    expect(reusable.length).toBeLessThan(ALL_UNITS.length);

    const secondLog = join(project, 'second.log');
    const resumed = await run(['-o', 'interrupted', '--resume', '--json'], secondLog);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { status: string; steps: { resumed: number } };
    expect(summary.status).toBe('succeeded');

    // Not rerun: no finished unit was invoked again; everything else ran exactly once.
    const rerun = invocations(secondLog);
    for (const unit of reusable) expect(rerun).not.toContain(unit);
    expect([...rerun, ...reusable].sort()).toEqual([...ALL_UNITS].sort());
    // The record says which were resumed.
    const final = readRecord(out)!;
    expect(final.status).toBe('succeeded');
    const resumedUnits = final.steps.filter((s) => s.resumed).map(unitName);
    for (const unit of reusable) expect(resumedUnits).toContain(unit);
    for (const unit of rerun) expect(resumedUnits).not.toContain(unit);

    // The same files as the uninterrupted run, byte for byte.
    expect(stepFiles(out)).toEqual(stepFiles(join(project, 'uninterrupted')));
    const outputs = (dir: string) => (JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { outputs: unknown }).outputs;
    expect(outputs(out)).toEqual(outputs(join(project, 'uninterrupted')));
  });

  it('--from-step reruns that step and everything downstream, and reuses the rest', async () => {
    const out = join(project, 'from-step');
    expect((await run(['-o', 'from-step', '--quiet'], join(project, 'fs-first.log'))).code).toBe(0);
    const log = join(project, 'fs-second.log');
    const again = await run(['-o', 'from-step', '--from-step', 's4', '--quiet'], log);
    expect(again.code).toBe(0);
    expect(invocations(log).sort()).toEqual(['join', 's4', 's5']);
    const resumed = readRecord(out)!.steps.filter((s) => s.resumed).map(unitName).sort();
    // The fan-out step whose items all came from the earlier run is itself recorded as resumed.
    expect(resumed).toEqual(['fan', 'fan[0]', 'fan[1]', 'fan[2]', 's1', 's2', 's3'].sort());
  });

  it('Ctrl-C (SIGINT) cancels the run: exit 4, run.json says cancelled, and --resume finishes it', async () => {
    const out = join(project, 'interrupted-by-user');
    const child = spawnUcop(['run', WORKFLOW, '-o', out, '--quiet'], { cwd: project, env: { COUNTED_AGENT_LOG: join(project, 'sigint.log') } });
    const exited = collect(child);
    for (let waited = 0; waited < 60_000 && child.exitCode === null; waited += 20) {
      if ((readRecord(out)?.steps.filter((s) => s.status === 'succeeded').length ?? 0) >= 1) break;
      await sleep(20);
    }
    expect(child.exitCode).toBeNull();
    child.kill('SIGINT');
    const result = await exited;
    expect(result.code).toBe(4);
    expect(result.stdout).toContain('cancelled');
    expect(readRecord(out)?.status).toBe('cancelled');
    const resumed = await run(['-o', 'interrupted-by-user', '--resume', '--quiet'], join(project, 'sigint-resume.log'));
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/resumed from the previous run/);
  });
});
