import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { JOURNAL_FILE, LOCK_FILE, TEMP_FILE, decodeFrames } from '@ucop/core';
import type { JournalRecord } from '@ucop/core';
import { FIXTURES, collect, runUcop, spawnUcop } from './ucop-process.ts';

/**
 * Kill-and-resume against the run journal, with the real CLI killed by SIGKILL at many moments: a workflow
 * with two fan-outs (12 items each), state writes (sum and append) and artifacts. Each kill point is chosen
 * by counting the records in the journal of the process to kill (1 = just after its `run` record, then deeper
 * into its units), never by wall-clock time. After every kill the next process resumes the same directory;
 * a chain ends with a process that finishes. Checked: no unit whose success was in the journal before a
 * process started is invoked by that process (agent invocation logs, which outlive a killed process), no
 * temporary file or lock is left, and the final files are byte for byte those of an uninterrupted run.
 */
const WORKFLOW = resolve(FIXTURES, 'journal/fan-out.yaml');
const ITEMS = 'abcdefghijkl'.split('');
const ALL_UNITS = ['list', ...ITEMS.map((_, i) => `fan[${i}]`), 'side', ...ITEMS.map((_, i) => `again[${i}]`), 'join'];
/** Records of the killed process's own journal to wait for before the kill, cycled through. */
const KILL_AFTER_RECORDS = [1, 3, 2, 5, 1, 4, 2, 6, 3, 1, 7, 2];
/** Kills per directory; two directories are killed and resumed side by side. */
const KILLS_PER_CHAIN = 10;
const MIN_KILLS = 20;

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'ucop-e2e-journal-'));
  mkdirSync(join(project, 'config'));
  writeFileSync(join(project, 'config/main.yaml'), `agents:\n  plugins: [${JSON.stringify(resolve(FIXTURES, 'journal/journaled-agent.ts'))}]\n`);
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

function unitName(step: string, item: number | undefined): string {
  return item === undefined ? step : `${step}[${item}]`;
}

function journal(dir: string): JournalRecord[] {
  const path = join(dir, JOURNAL_FILE);
  return existsSync(path) ? decodeFrames(readFileSync(path)).records : [];
}

/** Units whose latest record in the journal says succeeded: resume must not run these again. */
function journaledSuccesses(dir: string): Set<string> {
  const done = new Set<string>();
  for (const r of journal(dir)) {
    if (r.t !== 'unit') continue;
    if (r.status === 'succeeded') done.add(unitName(r.step, r.item));
    else done.delete(unitName(r.step, r.item));
  }
  return done;
}

function invocations(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}

/** Every file under `dir` (relative path → content), the journal, run.json and the lock excepted. */
function files(dir: string, under = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, under), { withFileTypes: true })) {
    const rel = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, files(dir, rel));
    else if (![JOURNAL_FILE, 'run.json', LOCK_FILE].includes(rel)) out[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return out;
}

function leftovers(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => TEMP_FILE.test(p.slice(p.lastIndexOf('/') + 1)) || p.endsWith(LOCK_FILE));
}

interface Launch {
  killed: boolean;
  code: number | null;
  ran: string[];
}

/** One `ucop run` into `dir`, SIGKILLed once its journal holds `killAfter` records of its own (undefined: runs to the end). */
async function launch(dir: string, log: string, resume: boolean, killAfter: number | undefined): Promise<Launch> {
  const before = journal(dir).length;
  const child = spawnUcop(['run', WORKFLOW, '-o', dir, '--quiet', ...(resume ? ['--resume'] : [])], { cwd: project, env: { JOURNALED_AGENT_LOG: log } });
  const exited = collect(child);
  let killed = false;
  if (killAfter !== undefined) {
    while (child.exitCode === null && child.signalCode === null) {
      if (journal(dir).length - (resume ? before : 0) >= killAfter) {
        killed = child.kill('SIGKILL');
        break;
      }
      await sleep(3);
    }
  }
  const result = await exited;
  if (!killed && result.code !== 0) throw new Error(`ucop run exited ${String(result.code)}: ${result.stderr}`);
  return { killed: killed && result.signal === 'SIGKILL', code: result.code, ran: invocations(log) };
}

interface Chain {
  kills: number;
  dir: string;
}

/** Kills and resumes one directory until a process finishes; checks each process against the journal before it. */
async function chain(name: string, firstKill: number): Promise<Chain> {
  const dir = join(project, name);
  let kills = 0;
  for (let n = 0; ; n += 1) {
    const journaled = journaledSuccesses(dir);
    const killAfter = kills < KILLS_PER_CHAIN ? KILL_AFTER_RECORDS[(firstKill + n) % KILL_AFTER_RECORDS.length] : undefined;
    const result = await launch(dir, join(project, `${name}-${n}.log`), n > 0, killAfter);
    const rerun = result.ran.filter((unit) => journaled.has(unit));
    expect(rerun, `${name} process ${n} ran units whose success was already journaled`).toEqual([]);
    if (!result.killed) return { kills, dir };
    kills += 1;
  }
}

describe('run journal: kill and resume at many moments (real CLI, SIGKILL)', () => {
  it(`no journaled unit runs again, nothing temporary is left, the result equals an uninterrupted run (${MIN_KILLS}+ kill points)`, async () => {
    const reference = join(project, 'reference');
    const clean = await runUcop(['run', WORKFLOW, '-o', reference, '--quiet'], { cwd: project, env: { JOURNALED_AGENT_LOG: join(project, 'reference.log') } });
    expect(clean.code, clean.stderr).toBe(0);
    expect(invocations(join(project, 'reference.log')).sort()).toEqual([...ALL_UNITS].sort());
    const expected = files(reference);
    const outputs = (dir: string) => {
      const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { status: string; outputs: unknown };
      return { status: record.status, outputs: record.outputs };
    };

    const chains: Chain[] = [];
    // Two directories at a time, until the kills add up.
    for (let round = 0; chains.reduce((s, c) => s + c.kills, 0) < MIN_KILLS; round += 1) {
      chains.push(...(await Promise.all([chain(`chain${round}a`, round * 5), chain(`chain${round}b`, round * 5 + 6)])));
    }
    expect(chains.reduce((s, c) => s + c.kills, 0)).toBeGreaterThanOrEqual(MIN_KILLS);
    for (const { dir } of chains) {
      expect(leftovers(dir)).toEqual([]);
      expect(files(dir)).toEqual(expected);
      expect(outputs(dir)).toEqual(outputs(reference));
    }
  }, 240_000);
});
