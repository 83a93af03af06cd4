import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, freshName, redisAvailable } from '../../../packages/worker/src/testing/redis-for-tests.ts';
import { OwnRedisServer } from '../../../packages/worker/src/testing/redis-server.ts';
import { collect, spawnUcop } from '../cli/ucop-process.ts';
import { DistProject, waitFor } from '../worker/worker-processes.ts';
import type { WorkerProcess } from '../worker/worker-processes.ts';
import { api, startDaemonProcess, waitForAllFinal } from './daemon-process.ts';
import type { DaemonProcess, RunView } from './daemon-process.ts';

/**
 * `ucop serve --executor bullmq`: the daemon's runs have their steps run by real `ucop worker` processes
 * through Redis, and the daemon refuses submissions while its Redis is down.
 */
const available = await redisAvailable();

let project: DistProject | undefined;
let daemon: DaemonProcess | undefined;
let server: OwnRedisServer | undefined;
afterEach(async () => {
  if (daemon && daemon.child.exitCode === null) {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
  }
  await project?.dispose();
  await server?.dispose();
  daemon = undefined;
  project = undefined;
  server = undefined;
});

/** The daemon's workflows directory, inside the project. */
function writeWorkflows(dist: DistProject, workflows: Record<string, string>): string {
  const dir = join(dist.dir, 'workflows');
  mkdirSync(dir, { recursive: true });
  for (const [name, yaml] of Object.entries(workflows)) writeFileSync(join(dir, `${name}.yaml`), yaml);
  return dir;
}

function startDaemon(dist: DistProject, redisUrl: string, workflows: string, extra: readonly string[] = []): Promise<DaemonProcess> {
  return startDaemonProcess({ dir: dist.dir, dataDir: join(dist.dir, 'data') }, ['--workflows', workflows, '--executor', 'bullmq', '--redis', redisUrl, '--queue', dist.queue, ...extra], dist.processEnv);
}

function metricsUrl(worker: WorkerProcess): string {
  return `http://127.0.0.1:${/metrics on http:\/\/127\.0\.0\.1:(\d+)/.exec(worker.stderr)?.[1]}/metrics`;
}

async function committedBy(worker: WorkerProcess): Promise<number> {
  const text = await (await fetch(metricsUrl(worker))).text();
  return Number(/ucop_worker_jobs_total\{outcome="committed"\} (\d+)/.exec(text)?.[1] ?? 0);
}

async function runState(d: DaemonProcess, id: string): Promise<RunView> {
  return (await api<{ run: RunView }>(d, 'GET', `/v1/runs/${id}`)).json.run;
}

/** Polls /ready until it answers `status`. */
async function readiness(d: DaemonProcess, status: number): Promise<{ ready: boolean; checks: Record<string, boolean> }> {
  for (let i = 0; i < 400; i++) {
    const answer = await api<{ ready: boolean; checks: Record<string, boolean> }>(d, 'GET', '/ready');
    if (answer.status === status) return answer.json;
    await sleep(50);
  }
  throw new Error(`/ready never answered ${status}`);
}

const PAIR = `version: 1
name: pair
inputs:
  n: { type: integer }
steps:
  note: { agent: test.dist.file, with: { path: "notes/n.txt", text: "run \${{ inputs.n }}" } }
  wait: { agent: test.dist.sleep, needs: [note], with: { label: "w\${{ inputs.n }}", ms: 50, pid: true } }
outputs:
  pid: "\${{ steps.wait.output.pid }}"
`;

describe.skipIf(!available)('ucop serve --executor bullmq (real daemon, real workers, real Redis)', () => {
  it('every step of every run is run by a worker; each run\'s artifacts land in its own directory', async () => {
    project = new DistProject(TEST_REDIS_URL, freshName('serve'));
    const workflows = writeWorkflows(project, { pair: PAIR });
    const workers = [await project.startWorker(['--metrics-port', '0']), await project.startWorker(['--metrics-port', '0'])];
    daemon = await startDaemon(project, TEST_REDIS_URL, workflows, ['--max-concurrent', '3']);
    expect(daemon.stderr()).toContain(`processes on queue ${project.queue}`);
    expect((await readiness(daemon, 200)).checks).toMatchObject({ redis: true, queue: true });

    const RUNS = 6;
    const ids: string[] = [];
    for (let n = 0; n < RUNS; n++) {
      const submitted = await api<{ run: RunView }>(daemon, 'POST', '/v1/runs', { workflow: 'pair', inputs: { n } });
      expect(submitted.status).toBe(201);
      ids.push(submitted.json.run.id);
    }
    const runs = await waitForAllFinal(daemon, RUNS);
    expect(runs.map((r) => r.state)).toEqual(Array(RUNS).fill('succeeded'));

    // The workers' side: they ran every step (their invocation log and their committed-result counters);
    // the daemon ran none.
    const workerPids = new Set(workers.map((w) => w.pid));
    const ends = project.invocations().filter((i) => i.event === 'end');
    expect(ends).toHaveLength(RUNS * 2);
    expect(ends.every((i) => workerPids.has(i.pid))).toBe(true);
    expect(ends.some((i) => i.pid === daemon!.child.pid)).toBe(false);
    const committed = (await Promise.all(workers.map(committedBy))).reduce((a, b) => a + b, 0);
    expect(committed).toBe(RUNS * 2);

    // Each run's artifact is in its own run directory, written from the bytes its worker sent back.
    ids.forEach((id, n) => {
      const file = join(project!.dir, 'data', 'runs', id, 'notes', 'n.txt');
      expect(existsSync(file), file).toBe(true);
      const [, text, pid] = /^(run \d+) (\d+)\n$/.exec(readFileSync(file, 'utf8')) ?? [];
      expect(text).toBe(`run ${n}`);
      expect(workerPids.has(Number(pid))).toBe(true);
    });
    expect(existsSync(join(project.dir, 'notes'))).toBe(false);

    daemon.child.kill('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
  }, 90_000);

  it('refuses to start on an unreachable Redis, loudly', async () => {
    server = await OwnRedisServer.start();
    await server.stop();
    project = new DistProject(server.url, freshName('serve-down'));
    const workflows = writeWorkflows(project, { pair: PAIR });
    const error = await startDaemon(project, server.url, workflows).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/REDIS_UNAVAILABLE|unreachable/);
    expect(existsSync(join(project.dir, 'data', 'queue.db'))).toBe(false);
  }, 30_000);

  it('refuses to start on a Redis whose maxmemory-policy evicts keys', async () => {
    server = await OwnRedisServer.start(['--maxmemory', '100mb', '--maxmemory-policy', 'allkeys-lru']);
    project = new DistProject(server.url, freshName('serve-evict'));
    const error = await startDaemon(project, server.url, writeWorkflows(project, { pair: PAIR })).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/maxmemory-policy allkeys-lru/);
    expect(existsSync(join(project.dir, 'data', 'queue.db'))).toBe(false);
  }, 30_000);

  it('Redis stopped: submissions refused at once (503 REDIS_UNAVAILABLE, nothing queued), /ready false; a running run is put back and resumes; Redis back: accepted again', async () => {
    server = await OwnRedisServer.start();
    project = new DistProject(server.url, freshName('serve-outage'));
    const workflows = writeWorkflows(project, {
      pair: PAIR,
      // One step whose 2 s timeout runs out while Redis is down: the run must not end failed.
      long: 'version: 1\nname: long\nsteps:\n  hold: { agent: test.dist.sleep, timeout: 2s, with: { label: held, ms: 1000 } }\n',
    });
    await project.startWorker(['--lock-duration', '3000', '--stalled-interval', '1000']);
    daemon = await startDaemon(project, server.url, workflows);
    expect((await readiness(daemon, 200)).checks['redis']).toBe(true);

    const long = await api<{ run: RunView }>(daemon, 'POST', '/v1/runs', { workflow: 'long' });
    expect(long.status).toBe(201);
    await waitFor('the long step started on the worker', () => (project!.invocations().some((i) => i.event === 'start' && i.unit === 'hold') ? true : undefined));
    await server.stop();

    const started = performance.now();
    const refused = await fetch(`${daemon.url}/v1/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${daemon.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workflow: 'pair', inputs: { n: 1 }, idempotencyKey: 'while-down' }),
      signal: AbortSignal.timeout(10_000),
    });
    const refusedMs = performance.now() - started;
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('REDIS_UNAVAILABLE');
    console.log(`submission refused in ${refusedMs.toFixed(1)} ms while Redis was down`);
    // The CLI client says so too, and fails.
    const cli = await collect(spawnUcop(['submit', 'pair', '-i', 'n=1', '--server', daemon.url], { cwd: project.dir, env: { UCOP_TOKEN: daemon.token } }));
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/REDIS_UNAVAILABLE/);
    const down = await readiness(daemon, 503);
    expect(down).toMatchObject({ ready: false, checks: { redis: false, queue: true } });
    const listed = (await api<{ runs: RunView[] }>(daemon, 'GET', '/v1/runs')).json.runs;
    expect(listed.map((r) => r.id)).toEqual([long.json.run.id]);

    // Its step's time ran out while Redis was away: the run goes back to the queue, not to `failed`.
    for (let i = 0; (await runState(daemon, long.json.run.id)).state !== 'queued'; i++) {
      if (i > 200) throw new Error(`the run stayed ${(await runState(daemon, long.json.run.id)).state}`);
      await sleep(50);
    }

    await server.start();
    expect((await readiness(daemon, 200)).checks['redis']).toBe(true);
    const accepted = await api<{ run: RunView }>(daemon, 'POST', '/v1/runs', { workflow: 'pair', inputs: { n: 2 }, idempotencyKey: 'after' });
    expect(accepted.status).toBe(201);
    const runs = await waitForAllFinal(daemon, 2, 60_000);
    expect(runs.map((r) => r.state)).toEqual(['succeeded', 'succeeded']);
    const resumed = await runState(daemon, long.json.run.id);
    expect(resumed.claims).toBe(2);
    expect(daemon.stderr()).toMatch(/put back in the queue \(.*Redis.*went away/);
  }, 120_000);

  it('a short Redis outage (AOF on) under a running run: the run waits and finishes in its first claim, its step committed once', async () => {
    server = await OwnRedisServer.start(['--appendonly', 'yes', '--appendfsync', 'always']);
    project = new DistProject(server.url, freshName('serve-blip'));
    const workflows = writeWorkflows(project, { steady: 'version: 1\nname: steady\nsteps:\n  hold: { agent: test.dist.sleep, timeout: 60s, with: { label: held, ms: 1500 } }\n' });
    const worker = await project.startWorker(['--lock-duration', '5000', '--stalled-interval', '1000', '--metrics-port', '0']);
    daemon = await startDaemon(project, server.url, workflows);
    const run = await api<{ run: RunView }>(daemon, 'POST', '/v1/runs', { workflow: 'steady' });
    expect(run.status).toBe(201);
    await waitFor('the step started on the worker', () => (project!.invocations().some((i) => i.event === 'start') ? true : undefined));
    await server.stop();
    await readiness(daemon, 503);
    await server.start();
    const [finished] = await waitForAllFinal(daemon, 1, 60_000);
    expect(finished).toMatchObject({ state: 'succeeded', claims: 1 });
    expect(project.invocations().filter((i) => i.event === 'end')).toHaveLength(1);
    expect(await committedBy(worker)).toBe(1);
  }, 90_000);

  it('the daemon holds the same four Redis connections however many runs are running', async () => {
    server = await OwnRedisServer.start();
    project = new DistProject(server.url, freshName('serve-conns'));
    const workflows = writeWorkflows(project, { steady: 'version: 1\nname: steady\ninputs:\n  n: { type: integer }\nsteps:\n  hold: { agent: test.dist.sleep, with: { label: "h${{ inputs.n }}", ms: 1500 } }\n' });
    await project.startWorker(['--concurrency', '4']);
    const redis = new Redis(server.url);
    try {
      const clients = async (): Promise<number> => ((await redis.client('LIST')) as string).split('\n').filter(Boolean).length;
      const before = await clients();
      daemon = await startDaemon(project, server.url, workflows, ['--max-concurrent', '4']);
      const idle = await clients();
      for (let n = 0; n < 4; n++) expect((await api(daemon, 'POST', '/v1/runs', { workflow: 'steady', inputs: { n } })).status).toBe(201);
      await waitFor('4 steps running on the worker', () => (project!.invocations().filter((i) => i.event === 'start').length === 4 ? true : undefined));
      const busy = await clients();
      console.log(`Redis clients: ${before} before the daemon, ${idle} with it idle, ${busy} with 4 runs running`);
      expect(idle - before).toBe(4);
      expect(busy).toBe(idle);
      await waitForAllFinal(daemon, 4);
    } finally {
      redis.disconnect();
    }
  }, 60_000);

  it('SIGTERM while Redis is down: the daemon still stops, exit 0', async () => {
    server = await OwnRedisServer.start();
    project = new DistProject(server.url, freshName('serve-stop'));
    daemon = await startDaemon(project, server.url, writeWorkflows(project, { pair: PAIR }));
    await server.stop();
    await readiness(daemon, 503);
    daemon.child.kill('SIGTERM');
    const exited = await daemon.exited;
    expect(exited.code, exited.stderr).toBe(0);
  }, 60_000);
});
