import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UcopError } from '../errors/ucop-error.ts';

/** The lock file of a run directory. */
export const LOCK_FILE = '.ucop-run.lock';

/** Who holds a run directory, as written in its lock file. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** When the holder took the lock (ISO 8601). */
  startedAt: string;
  /** The holder's process start time in clock ticks since boot (Linux), to tell a reused pid apart. */
  processStart?: string;
  /** Random: identifies this acquisition, so that a release never removes another holder's lock. */
  token: string;
}

/** A held lock; release it when the run is over (also released, synchronously, if the process exits). */
export interface RunLock {
  readonly path: string;
  readonly holder: LockHolder;
  release(): Promise<void>;
}

function processStartOf(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3; starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string' && typeof value.token === 'string') return value as LockHolder;
  } catch {
    // Not a lock this program wrote (it writes the whole file at once): stale.
  }
  return undefined;
}

/**
 * Whether the holder is certainly gone: on this host, its pid no longer runs, or runs a process that
 * started at another time (the pid was reused). On another host nothing can be known: the lock stands.
 */
function isStale(holder: LockHolder | undefined): boolean {
  if (!holder) return true;
  if (holder.hostname !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const start = processStartOf(holder.pid);
  return holder.processStart !== undefined && start !== undefined && start !== holder.processStart;
}

function lockedError(dir: string, path: string, holder: LockHolder): UcopError {
  const where = holder.hostname === hostname() ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.hostname}`;
  return new UcopError('RUN_LOCKED', `${dir} is in use by another ucop run (${where}, since ${holder.startedAt}); wait for it to finish, or choose another -o. If that process is gone (another machine crashed), remove ${path}`, {
    fields: { dir, lockFile: path, pid: holder.pid, hostname: holder.hostname, startedAt: holder.startedAt },
  });
}

/**
 * Takes the lock of a run directory, so that one process at a time writes it. The lock is a file created
 * with `link()` from a complete temporary file, which fails if the lock exists (as O_EXCL does) and never
 * leaves a half-written lock. A lock whose holder is certainly dead (same host, pid gone or reused) is
 * taken over at once.
 *
 * Hand-written rather than `proper-lockfile`: that package tells a stale lock by the age of its mtime,
 * which its holder refreshes on a timer, so a killed run's lock blocks the next run for the stale period
 * (at least seconds), and a long synchronous stretch in a big run can make a live lock look stale. Here a
 * dead holder is known at once from its pid, and a live one never expires.
 *
 * @throws UcopError RUN_LOCKED (exit 2) when another live process holds it
 */
export async function acquireRunLock(dir: string): Promise<RunLock> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), token: randomBytes(12).toString('hex') };
  const start = processStartOf('self');
  if (start !== undefined) holder.processStart = start;
  const text = JSON.stringify(holder) + '\n';
  const temp = join(dir, `.${LOCK_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temp, text, { flag: 'wx', mode: 0o644 });
  try {
    for (let tries = 0; ; tries += 1) {
      try {
        await link(temp, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || tries >= 5) throw error;
      }
      const current = await readFile(path, 'utf8').catch(() => undefined);
      if (current === undefined) continue; // released meanwhile
      const other = parseHolder(current);
      if (!isStale(other)) throw lockedError(dir, path, other!);
      await takeOver(path, current);
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  held.set(path, text);
  if (held.size === 1) process.on('exit', releaseAllSync);
  return {
    path,
    holder,
    async release() {
      if (held.get(path) === text) held.delete(path);
      if (held.size === 0) process.removeListener('exit', releaseAllSync);
      const current = await readFile(path, 'utf8').catch(() => undefined);
      if (current === text) await unlink(path).catch(() => undefined);
    },
  };
}

/** Locks this process holds (path → content), released by one exit listener however many there are (a daemon holds several). */
const held = new Map<string, string>();

function releaseAllSync(): void {
  for (const [path, text] of held) {
    try {
      if (readFileSync(path, 'utf8') === text) unlinkSync(path);
    } catch {
      // Already gone.
    }
  }
}

// Moves the stale lock aside (only one process can move a given file), then checks that what was moved is
// the stale lock it judged: if another process had taken the lock meanwhile, its lock is put back.
async function takeOver(path: string, staleText: string): Promise<void> {
  const aside = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return; // Someone else moved it first: try again.
  }
  const moved = await readFile(aside, 'utf8').catch(() => undefined);
  if (moved !== staleText) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}
