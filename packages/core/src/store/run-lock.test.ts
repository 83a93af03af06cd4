import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireRunLock, LOCK_FILE, type LockHolder } from './run-lock.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ucop-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

async function writeLock(holder: Partial<LockHolder>): Promise<void> {
  await writeFile(join(dir, LOCK_FILE), JSON.stringify({ hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'old', ...holder }));
}

describe('run directory lock', () => {
  it('is exclusive: a second taker gets RUN_LOCKED at once, naming the holder; after release it can be taken', async () => {
    const lock = await acquireRunLock(dir);
    expect(JSON.parse(await readFile(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname() });
    await expect(acquireRunLock(dir)).rejects.toMatchObject({ code: 'RUN_LOCKED', fields: { pid: process.pid, lockFile: join(dir, LOCK_FILE) } });
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const again = await acquireRunLock(dir);
    await again.release();
    // No temporary file of the lock is left.
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over the lock of a dead process at once', async () => {
    await writeLock({ pid: await deadPid() });
    const lock = await acquireRunLock(dir);
    expect(lock.holder.pid).toBe(process.pid);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock whose pid now belongs to another process (pid reused), and a damaged lock file', async () => {
    await writeLock({ pid: process.pid, processStart: 'not-this-process' });
    await (await acquireRunLock(dir)).release();
    await writeFile(join(dir, LOCK_FILE), '');
    await (await acquireRunLock(dir)).release();
  });

  it('keeps a lock held on another machine (nothing can be known about it)', async () => {
    await writeLock({ pid: await deadPid(), hostname: `not-${hostname()}` });
    await expect(acquireRunLock(dir)).rejects.toMatchObject({ code: 'RUN_LOCKED' });
  });

  it('is released when the process exits without releasing it (process.exit in a signal handler)', async () => {
    const module = new URL('./run-lock.ts', import.meta.url).href;
    const child = spawn(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(module)}); await m.acquireRunLock(${JSON.stringify(dir)}); process.exit(0);`]);
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it('never releases a lock another process took over', async () => {
    const lock = await acquireRunLock(dir);
    await writeLock({ pid: 1, token: 'someone-else' });
    await lock.release();
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ token: 'someone-else' });
  });
});
