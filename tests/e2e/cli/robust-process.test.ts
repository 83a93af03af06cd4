import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, collect, runUcop, spawnUcop } from './ucop-process.ts';

// The real `ucop` process against agents that misbehave, interrupts and closed pipes: it never crashes
// with a stack trace, and a run always ends with its record on disk.

const FAULTS = resolve(FIXTURES, 'faults/faults.yaml');
const STUBBORN = resolve(FIXTURES, 'faults/stubborn.yaml');
const OPENAI_KEY = 'sk-e2etest-0123456789abcdefghij';
const SERVICE_TOKEN = 'tok-e2e-secret-987654321';

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'ucop-e2e-robust-'));
  mkdirSync(join(project, 'config'));
  writeFileSync(
    join(project, 'config/main.yaml'),
    `agents:\n  plugins: [${JSON.stringify(resolve(FIXTURES, 'faults/fault-agents.ts'))}]\nsecrets: [MY_SERVICE_TOKEN]\n`,
  );
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

interface RecordFile {
  status: string;
  steps: { id: string; status: string }[];
  errors: { code: string; message: string; stepId?: string }[];
}

function readRecord(dir: string): RecordFile | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RecordFile;
  } catch {
    return undefined;
  }
}

/** Runs ucop, killing it if it has not finished in 20 s (a process reading /dev/zero would eat the machine). */
function runWithin(args: string[], cwd: string) {
  const child = spawnUcop(args, { cwd });
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return collect(child).finally(() => clearTimeout(watchdog));
}

describe('a run always ends with a record', () => {
  it('agents that throw from a timer, leave a rejection unawaited or return BigInt, cycles, functions fail their own attempt; the process writes the record', async () => {
    const out = join(project, 'faults');
    const result = await runUcop(['run', FAULTS, '-o', out], { cwd: project, env: { OPENAI_API_KEY: OPENAI_KEY, MY_SERVICE_TOKEN: SERVICE_TOKEN } });
    expect(result.code).toBe(4);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const record = readRecord(out)!;
    expect(record.status).toBe('failed');
    const byStep = Object.fromEntries(record.errors.map((e) => [e.stepId, e.code]));
    expect(byStep).toEqual({
      timer: 'AGENT_UNCAUGHT',
      unawaited: 'AGENT_UNCAUGHT',
      bigint: 'AGENT_OUTPUT_UNSERIALISABLE',
      cycle: 'AGENT_OUTPUT_UNSERIALISABLE',
      function: 'AGENT_OUTPUT_UNSERIALISABLE',
      leaks: 'AGENT_ERROR',
    });
    expect(record.steps.find((s) => s.id === 'fine')?.status).toBe('succeeded');
    expect(record.steps.find((s) => s.id === 'echoes')?.status).toBe('succeeded');
  });

  it('a provider key and a variable config/main.yaml marks secret appear nowhere: record, step files, console', async () => {
    const out = join(project, 'faults');
    if (!existsSync(join(out, 'run.json'))) await runUcop(['run', FAULTS, '-o', out], { cwd: project, env: { OPENAI_API_KEY: OPENAI_KEY, MY_SERVICE_TOKEN: SERVICE_TOKEN } });
    const again = await runUcop(['run', FAULTS, '-o', out, '--json'], { cwd: project, env: { OPENAI_API_KEY: OPENAI_KEY, MY_SERVICE_TOKEN: SERVICE_TOKEN } });
    const files = [readFileSync(join(out, 'run.json'), 'utf8'), ...readdirSync(join(out, 'steps')).map((f) => readFileSync(join(out, 'steps', f), 'utf8'))];
    const everything = [again.stdout, again.stderr, ...files].join('\n');
    expect(everything).toContain('[redacted]');
    expect(everything).not.toContain(OPENAI_KEY);
    expect(everything).not.toContain(SERVICE_TOKEN);
  });

  it('a second Ctrl-C abandons an agent that ignores its abort: run.json says cancelled, exit 130', async () => {
    const out = join(project, 'stubborn');
    const log = join(project, 'stubborn.log');
    const child = spawnUcop(['run', STUBBORN, '-o', out, '--quiet'], { cwd: project, env: { FAULT_AGENT_LOG: log } });
    const exited = collect(child);
    for (let waited = 0; waited < 60_000 && !existsSync(log); waited += 20) await sleep(20);
    child.kill('SIGINT');
    // The first interrupt aborts the agent, which ignores it: the run waits out the 60 s cancel grace.
    await sleep(300);
    expect(child.exitCode).toBeNull();
    child.kill('SIGINT');
    const result = await exited;
    expect(result.code).toBe(130);
    expect(readRecord(out)?.status).toBe('cancelled');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe('the process edge', () => {
  it('a closed stdout (`ucop --help | head -1`) ends quietly: no EPIPE, no stack trace, exit 0', async () => {
    const child = spawnUcop(['--help']);
    // The reader goes away before ucop writes anything, as `head` does once it has its line.
    child.stdout?.destroy();
    const result = await collect(child);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('a run whose stdout is closed still finishes and writes its record', async () => {
    const out = join(project, 'closed-stdout');
    const child = spawnUcop(['run', resolve(FIXTURES, 'sim-run.yaml'), '-o', out], { cwd: project });
    child.stdout?.destroy();
    const result = await collect(child);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readRecord(out)?.status).toBe('succeeded');
  });

  it('-o "" is refused (exit 2) and nothing is written in the current directory', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ucop-e2e-empty-out-'));
    try {
      const result = await runUcop(['run', resolve(FIXTURES, 'sim-run.yaml'), '-o', ''], { cwd });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('-o is empty');
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('generate -i naming a symlink to /dev/zero or a FIFO is refused at once, and -c naming a FIFO too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ucop-e2e-devices-'));
    try {
      const { execFileSync } = await import('node:child_process');
      const { symlinkSync } = await import('node:fs');
      symlinkSync('/dev/zero', join(dir, 'zero.md'));
      execFileSync('mkfifo', [join(dir, 'pipe.md')]);
      const [zero, fifo, config] = await Promise.all([
        runWithin(['generate', '-i', join(dir, 'zero.md'), '-o', join(dir, 'out')], dir),
        runWithin(['generate', '-i', join(dir, 'pipe.md'), '-o', join(dir, 'out')], dir),
        runWithin(['-c', join(dir, 'pipe.md'), 'validate', FAULTS], dir),
      ]);
      expect([zero.code, fifo.code, config.code]).toEqual([2, 2, 2]);
      expect(zero.stderr).toMatch(/FILE_NOT_REGULAR .*zero\.md is a device/);
      expect(fifo.stderr).toMatch(/FILE_NOT_REGULAR .*pipe\.md is a FIFO/);
      expect(config.stderr).toMatch(/pipe\.md:1:1: FILE_NOT_REGULAR/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
