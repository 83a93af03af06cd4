import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { spawnUcop } from '../cli/ucop-process.ts';
import { removeKeys } from '../../../packages/worker/src/testing/redis-for-tests.ts';
import { keyPattern, queueNames } from '../../../packages/worker/src/queue-names.ts';

export const WORKER_FIXTURES = resolve(import.meta.dirname, 'fixtures');

/** One test's world: a project whose config loads the test plugin, a fresh queue, an invocation log. */
export class DistProject {
  readonly dir = mkdtempSync(join(tmpdir(), 'ucop-dist-'));
  readonly log = join(this.dir, 'invocations.log');
  readonly workers: WorkerProcess[] = [];

  readonly redisUrl: string;
  readonly queue: string;
  readonly env: Record<string, string>;

  constructor(redisUrl: string, queue: string, env: Record<string, string> = {}) {
    this.redisUrl = redisUrl;
    this.queue = queue;
    this.env = env;
    mkdirSync(join(this.dir, 'config'));
    writeFileSync(join(this.dir, 'config/main.yaml'), `agents:\n  plugins: [${JSON.stringify(join(WORKER_FIXTURES, 'dist-agents.ts'))}]\n`);
  }

  get processEnv(): Record<string, string> {
    return { DIST_LOG: this.log, ...this.env };
  }

  writeWorkflow(name: string, yaml: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, yaml);
    return path;
  }

  /** Starts `ucop worker` and waits until it says it is ready. */
  async startWorker(args: readonly string[] = []): Promise<WorkerProcess> {
    const child = spawnUcop(['worker', '--redis', this.redisUrl, '--queue', this.queue, ...args], { cwd: this.dir, env: this.processEnv });
    const worker = new WorkerProcess(child);
    this.workers.push(worker);
    await worker.ready();
    return worker;
  }

  startRun(workflow: string, args: readonly string[] = []): ChildProcess {
    return spawnUcop(['run', workflow, '--executor', 'bullmq', '--redis', this.redisUrl, '--queue', this.queue, '-q', ...args], { cwd: this.dir, env: this.processEnv });
  }

  /** Lines of the invocation log: `{ ms, pid, event, unit }`. */
  invocations(): { ms: number; pid: number; event: string; unit: string }[] {
    if (!existsSync(this.log)) return [];
    return readFileSync(this.log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ms, pid, event, unit] = line.split(' ');
        return { ms: Number(ms), pid: Number(pid), event: event!, unit: unit! };
      });
  }

  record(out: string): { status: string; steps: { id: string; itemIndex?: number; status: string; attempts?: number; error?: { code: string } }[]; outputs?: Record<string, unknown> } {
    return JSON.parse(readFileSync(join(this.dir, out, 'run.json'), 'utf8')) as ReturnType<DistProject['record']>;
  }

  /** Stops the workers still running (SIGKILL: the test is over), removes the queue's keys and the directory. */
  async dispose(): Promise<void> {
    for (const worker of this.workers) worker.kill('SIGKILL');
    await Promise.all(this.workers.map((w) => w.exited));
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    await removeKeys(redis, keyPattern(queueNames(this.queue))).catch(() => undefined);
    redis.disconnect();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class WorkerProcess {
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  readonly child: ChildProcess;

  constructor(child: ChildProcess) {
    this.child = child;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    child.stdout?.resume();
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  async ready(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!/ready on /.test(this.stderr)) {
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`worker ${this.pid} did not become ready:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
