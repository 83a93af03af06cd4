import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '../cli/ucop-process.ts';
import { freshName, redisAvailable } from '../../../packages/worker/src/testing/redis-for-tests.ts';
import { OwnRedisServer } from '../../../packages/worker/src/testing/redis-server.ts';
import { DistProject, waitFor } from './worker-processes.ts';
import type { WorkerProcess } from './worker-processes.ts';

/**
 * Redis restarted (a clean stop and start of a redis-server of this test's own, AOF on, on a free port) while
 * 50 steps are running on two `ucop worker` processes: workers and coordinator reconnect, and every step is
 * committed exactly once (the record, and the workers' own count of committed results).
 */
const available = await redisAvailable();
const ITEMS = 50;

let server: OwnRedisServer | undefined;
let project: DistProject | undefined;
afterEach(async () => {
  await project?.dispose();
  await server?.dispose();
  project = undefined;
  server = undefined;
});

function metricsUrl(worker: WorkerProcess, path: string): string {
  return `http://127.0.0.1:${/metrics on http:\/\/127\.0\.0\.1:(\d+)/.exec(worker.stderr)?.[1]}${path}`;
}

/** Polls a worker's /readyz until it answers `status`. */
async function readiness(worker: WorkerProcess, status: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await fetch(metricsUrl(worker, '/readyz'))).status === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`worker ${worker.pid}: /readyz never answered ${status}`);
}

async function committedBy(worker: WorkerProcess): Promise<number> {
  const text = await (await fetch(metricsUrl(worker, '/metrics'))).text();
  return Number(/ucop_worker_jobs_total\{outcome="committed"\} (\d+)/.exec(text)?.[1] ?? 0);
}

describe.skipIf(!available)('Redis restarted with steps in flight', () => {
  it('50 steps in flight: everything completes, each step committed exactly once', async () => {
    server = await OwnRedisServer.start(['--appendonly', 'yes', '--appendfsync', 'always']);
    project = new DistProject(server.url, freshName('restart'));
    const items = JSON.stringify(Array.from({ length: ITEMS }, (_, i) => i));
    const workflow = project.writeWorkflow(
      'restart.yaml',
      `version: 1\nname: dist_restart\ninputs:\n  items: { type: array, items: { type: integer } }\nconfig: { max_parallel: ${ITEMS} }\nsteps:\n  fan: { agent: test.dist.sleep, for_each: "\${{ inputs.items }}", max_parallel: ${ITEMS}, with: { label: fan, ms: 2500, item: "\${{ item }}" } }\n`,
    );
    const args = ['--concurrency', '25', '--lock-duration', '5000', '--stalled-interval', '1000', '--metrics-port', '0'];
    const workers = [await project.startWorker(args), await project.startWorker(args)];
    const run = collect(project.startRun(workflow, ['-o', 'out', '-i', `items=${items}`]));
    await waitFor('50 steps in flight', () => (project!.invocations().filter((i) => i.event === 'start').length >= ITEMS ? true : undefined), 30_000);
    await server.stop();
    await readiness(workers[0]!, 503); // not ready while its Redis is down
    await server.start();
    await readiness(workers[0]!, 200);
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    const record = project.record('out');
    expect(record.status).toBe('succeeded');
    const units = record.steps.filter((s) => s.id === 'fan' && s.itemIndex !== undefined);
    expect(units).toHaveLength(ITEMS);
    expect(units.every((s) => s.status === 'succeeded')).toBe(true);
    const ended = new Set(project.invocations().filter((i) => i.event === 'end').map((i) => i.unit));
    expect(ended.size).toBe(ITEMS);
    const committed = (await Promise.all(workers.map(committedBy))).reduce((a, b) => a + b, 0);
    expect(committed).toBe(ITEMS);
  }, 90_000);
});
