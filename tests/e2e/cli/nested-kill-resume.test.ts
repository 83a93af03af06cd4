import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { FIXTURES, collect, runUcop, spawnUcop } from './ucop-process.ts';

/**
 * Kill-and-resume in the middle of nested group instances (issue 8): `ucop run` on epic → feature → write/
 * review, SIGKILLed once run.json shows finished inner steps, then `--resume` into the same directory: no
 * finished inner step runs again, the files equal an uninterrupted run's; `--from-step` on one inner step
 * of one instance reruns it and what depends on it only.
 */
const WORKFLOW = resolve(FIXTURES, 'resume/nested.yaml');
const ALL_UNITS = [
  'plan',
  'epic[0].split', 'epic[0].feature[0].write', 'epic[0].feature[0].review', 'epic[0].feature[1].write', 'epic[0].feature[1].review',
  'epic[1].split', 'epic[1].feature[0].write', 'epic[1].feature[0].review', 'epic[1].feature[1].write', 'epic[1].feature[1].review',
  'join',
];

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'ucop-e2e-nested-'));
  mkdirSync(join(project, 'config'));
  writeFileSync(join(project, 'config/main.yaml'), `agents:\n  plugins: [${JSON.stringify(resolve(FIXTURES, 'resume/counted-agent.ts'))}]\n`);
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

interface RecordStep {
  id: string;
  status: string;
  output?: string;
  resumed?: boolean;
}

function readRecord(dir: string): { status?: string; steps: RecordStep[]; outputs?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { status?: string; steps: RecordStep[] };
  } catch {
    return undefined;
  }
}

const invocations = (log: string): string[] => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);

function stepFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(join(dir, 'steps')).sort()) files[name] = readFileSync(join(dir, 'steps', name), 'utf8');
  return files;
}

const run = (args: string[], log: string) => runUcop(['run', WORKFLOW, ...args], { cwd: project, env: { COUNTED_AGENT_LOG: log } });

describe('kill and resume inside nested group instances (SIGKILL)', () => {
  it('reuses every finished inner step and ends with the files of an uninterrupted run', async () => {
    const reference = await run(['-o', 'uninterrupted', '--quiet'], join(project, 'reference.log'));
    expect(reference.stderr).toBe('');
    expect(reference.code).toBe(0);
    expect(invocations(join(project, 'reference.log')).sort()).toEqual([...ALL_UNITS].sort());
    expect(readRecord(join(project, 'uninterrupted'))!.outputs).toEqual({ result: 'write-a1-reviewed write-a2-reviewed write-b1-reviewed write-b2-reviewed' });

    const out = join(project, 'interrupted');
    const child = spawnUcop(['run', WORKFLOW, '-o', out, '--quiet'], { cwd: project, env: { COUNTED_AGENT_LOG: join(project, 'first.log') } });
    const exited = collect(child);
    for (let waited = 0; waited < 60_000 && child.exitCode === null; waited += 20) {
      // Finished inner steps whose files are on disk: run.json and steps/ are views written after the
      // journal, and under load a file can lag behind the record that names it.
      const inner = readRecord(out)?.steps.filter((s) => s.status === 'succeeded' && s.id.includes('.feature[') && s.output && existsSync(join(out, s.output))).length ?? 0;
      if (inner >= 2) break;
      await sleep(20);
    }
    expect(child.exitCode, 'the run finished before it could be killed').toBeNull();
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');

    const atKill = readRecord(out)!;
    const reusable = atKill.steps.filter((s) => s.status === 'succeeded' && s.output && existsSync(join(out, s.output)) && ALL_UNITS.includes(s.id)).map((s) => s.id);
    expect(reusable.filter((id) => id.includes('.feature[')).length).toBeGreaterThanOrEqual(2);
    expect(reusable.length).toBeLessThan(ALL_UNITS.length);

    const secondLog = join(project, 'second.log');
    const resumed = await run(['-o', 'interrupted', '--resume', '--quiet'], secondLog);
    expect(resumed.code).toBe(0);
    const rerun = invocations(secondLog);
    for (const unit of reusable) expect(rerun).not.toContain(unit);
    expect([...rerun, ...reusable].sort()).toEqual([...ALL_UNITS].sort());
    const final = readRecord(out)!;
    expect(final.status).toBe('succeeded');
    for (const unit of reusable) expect(final.steps.find((s) => s.id === unit)!.resumed).toBe(true);
    expect(stepFiles(out)).toEqual(stepFiles(join(project, 'uninterrupted')));
    expect(final.outputs).toEqual(readRecord(join(project, 'uninterrupted'))!.outputs);
  });

  it('--from-step on one inner step of one instance reruns it and what depends on it only', async () => {
    expect((await run(['-o', 'from-step', '--quiet'], join(project, 'fs-first.log'))).code).toBe(0);
    const log = join(project, 'fs-second.log');
    const again = await run(['-o', 'from-step', '--from-step', 'epic[1].feature[0].write', '--quiet'], log);
    expect(again.code).toBe(0);
    expect(invocations(log).sort()).toEqual(['epic[1].feature[0].review', 'epic[1].feature[0].write', 'join']);
  });
});
