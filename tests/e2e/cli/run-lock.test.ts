import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { JOURNAL_FILE, LOCK_FILE, decodeFrames } from '@ucop/core';
import { FIXTURES, collect, runUcop, spawnUcop } from './ucop-process.ts';

/**
 * One writer per output directory, with real processes: a second `ucop run` on the same -o stops at once
 * with RUN_LOCKED (exit 2) and touches nothing of the first run; a lock left by a killed run is taken over.
 */
const WORKFLOW = resolve(FIXTURES, 'resume/slow.yaml');
const ALL_UNITS = ['s1', 's2', 's3', 's4', 'fan[0]', 'fan[1]', 'fan[2]', 's5', 'join'];

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'ucop-e2e-lock-'));
  mkdirSync(join(project, 'config'));
  writeFileSync(join(project, 'config/main.yaml'), `agents:\n  plugins: [${JSON.stringify(resolve(FIXTURES, 'resume/counted-agent.ts'))}]\n`);
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Every file under `dir` with its size, mtime and content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const path = join(dir, rel);
    const stats = statSync(path);
    out[rel] = stats.isDirectory() ? `dir ${stats.mtimeMs}` : `${stats.size} ${stats.mtimeMs} ${readFileSync(path, 'base64')}`;
  }
  return out;
}

function unitRecords(dir: string): number {
  const path = join(dir, JOURNAL_FILE);
  return existsSync(path) ? decodeFrames(readFileSync(path)).records.filter((r) => r.t === 'unit').length : 0;
}

function invocations(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}

async function waitForUnits(dir: string, n: number, child: { exitCode: number | null }): Promise<void> {
  for (let waited = 0; waited < 60_000 && child.exitCode === null; waited += 10) {
    if (unitRecords(dir) >= n) return;
    await sleep(10);
  }
  throw new Error('the first run did not journal its units in time');
}

describe('one writer per output directory (real processes)', () => {
  it('a second run on the same -o exits 2 with RUN_LOCKED at once and leaves the first run untouched', async () => {
    const out = join(project, 'shared');
    const firstLog = join(project, 'first.log');
    const first = spawnUcop(['run', WORKFLOW, '-o', out, '--quiet'], { cwd: project, env: { COUNTED_AGENT_LOG: firstLog } });
    const firstDone = collect(first);
    await waitForUnits(out, 1, first);
    // Freeze the first run, so that anything that changes in its directory now is the second run's doing.
    first.kill('SIGSTOP');
    try {
      const before = snapshot(out);
      const second = await runUcop(['run', WORKFLOW, '-o', out, '--quiet', '--trace'], { cwd: project, env: { COUNTED_AGENT_LOG: join(project, 'second.log') } });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain('RUN_LOCKED');
      expect(second.stderr).toContain(`process ${first.pid}`);
      expect(invocations(join(project, 'second.log'))).toEqual([]);
      expect(snapshot(out)).toEqual(before);
      // --resume and generate's -o take the same lock.
      const resumed = await runUcop(['run', WORKFLOW, '-o', out, '--resume', '--json'], { cwd: project, env: { COUNTED_AGENT_LOG: join(project, 'second.log') } });
      expect(resumed.code).toBe(2);
      expect(snapshot(out)).toEqual(before);
    } finally {
      first.kill('SIGCONT');
    }
    const result = await firstDone;
    expect(result.code, result.stderr).toBe(0);
    expect(invocations(firstLog).sort()).toEqual([...ALL_UNITS].sort());
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it('the lock of a killed run is taken over at once by the next run, which resumes it', async () => {
    const out = join(project, 'killed');
    const child = spawnUcop(['run', WORKFLOW, '-o', out, '--quiet'], { cwd: project, env: { COUNTED_AGENT_LOG: join(project, 'killed.log') } });
    const exited = collect(child);
    await waitForUnits(out, 2, child);
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(join(out, LOCK_FILE))).toBe(true);
    const resumed = await runUcop(['run', WORKFLOW, '-o', out, '--resume', '--quiet'], { cwd: project, env: { COUNTED_AGENT_LOG: join(project, 'killed-resume.log') } });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    expect(invocations(join(project, 'killed-resume.log')).length).toBeLessThan(ALL_UNITS.length);
  });
});
