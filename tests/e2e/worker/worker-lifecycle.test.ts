import { afterEach, describe, expect, it } from 'vitest';
import { collect, runUcop } from '../cli/ucop-process.ts';
import { TEST_REDIS_URL, freshName, redisAvailable } from '../../../packages/worker/src/testing/redis-for-tests.ts';
import { freePort } from '../../../packages/worker/src/testing/redis-server.ts';
import { DistProject, waitFor } from './worker-processes.ts';

/**
 * The `ucop worker` process lifecycle: refused at start when Redis is unreachable; readiness on its metrics
 * port; SIGTERM lets a running step finish within the grace and exits 0; past the grace the step is handed
 * back to the queue (neither done nor failed) and another worker completes it.
 */
const available = await redisAvailable();

let project: DistProject | undefined;
afterEach(async () => {
  await project?.dispose();
  project = undefined;
});

const SLOW = 'version: 1\nname: dist_slow\nsteps:\n  slow: { agent: test.dist.sleep, with: { label: slow, ms: 1500, pid: true } }\noutputs:\n  pid: "${{ steps.slow.output.pid }}"\n';

describe('ucop worker lifecycle', () => {
  it('refuses to start, loudly, when Redis is unreachable (exit 1, REDIS_UNAVAILABLE)', async () => {
    const result = await runUcop(['worker', '--redis', `redis://127.0.0.1:${await freePort()}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/REDIS_UNAVAILABLE .*unreachable \(.*ECONNREFUSED/);
  });

  it.skipIf(!available)('SIGTERM: ready until then, the running step finishes within the grace, exit 0', async () => {
    project = new DistProject(TEST_REDIS_URL, freshName('term'));
    const workflow = project.writeWorkflow('slow.yaml', SLOW);
    const worker = await project.startWorker(['--metrics-port', '0', '--shutdown-grace', '10000']);
    const port = /metrics on http:\/\/127\.0\.0\.1:(\d+)/.exec(worker.stderr)?.[1];
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const run = collect(project.startRun(workflow, ['-o', 'out']));
    await waitFor('the step to start', () => project!.invocations().find((i) => i.event === 'start'));
    worker.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect((await run).code).toBe(0);
    expect(project.record('out').outputs).toEqual({ pid: worker.pid });
  }, 60_000);

  it.skipIf(!available)('SIGTERM past the grace: the step goes back to the queue and another worker completes it', async () => {
    project = new DistProject(TEST_REDIS_URL, freshName('grace'));
    const workflow = project.writeWorkflow('slow.yaml', SLOW);
    const leaving = await project.startWorker(['--shutdown-grace', '200']);
    const run = collect(project.startRun(workflow, ['-o', 'out']));
    await waitFor('the step to start', () => project!.invocations().find((i) => i.event === 'start'));
    leaving.kill('SIGTERM');
    expect(await leaving.exited).toEqual({ code: 0, signal: null });
    const staying = await project.startWorker();
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    expect(project.record('out')).toMatchObject({ status: 'succeeded', outputs: { pid: staying.pid }, steps: [{ id: 'slow', attempts: 1 }] });
    // The leaving worker's agent was aborted at the deadline: it started, it never finished.
    const log = project.invocations();
    expect(log.filter((i) => i.event === 'start').map((i) => i.pid)).toEqual([leaving.pid, staying.pid]);
    expect(log.filter((i) => i.event === 'end').map((i) => i.pid)).toEqual([staying.pid]);
  }, 60_000);
});
