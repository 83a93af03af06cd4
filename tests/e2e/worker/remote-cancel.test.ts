import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '../cli/ucop-process.ts';
import { TEST_REDIS_URL, freshName, redisAvailable } from '../../../packages/worker/src/testing/redis-for-tests.ts';
import { DistProject, waitFor } from './worker-processes.ts';

/**
 * Timeouts and cancellation reach the remote step: the agent on the worker is aborted (it never logs its
 * end), the worker stays up and takes the next step.
 */
const available = await redisAvailable();

let project: DistProject | undefined;
afterEach(async () => {
  await project?.dispose();
  project = undefined;
});

async function runningOn(metricsPort: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return Number(/^ucop_worker_running_jobs (\d+)/m.exec(text)?.[1]);
}

describe.skipIf(!available)('timeouts and cancellation of remote steps', () => {
  it("a step timeout aborts the agent on the worker; the run records STEP_TIMEOUT and the worker carries on", async () => {
    project = new DistProject(TEST_REDIS_URL, freshName('timeout'));
    const workflow = project.writeWorkflow('timeout.yaml', 'version: 1\nname: dist_timeout\nconfig: { fail_fast: false }\nsteps:\n  hang: { agent: test.dist.sleep, timeout: 500ms, with: { label: hang, ms: 20000 } }\n  next: { agent: test.dist.sleep, with: { label: next, ms: 10 } }\n');
    const worker = await project.startWorker(['--metrics-port', '0']);
    const port = /metrics on http:\/\/127\.0\.0\.1:(\d+)/.exec(worker.stderr)![1]!;
    const result = await collect(project.startRun(workflow, ['-o', 'out']));
    expect(result.code).toBe(4);
    const record = project.record('out');
    expect(record.steps.find((s) => s.id === 'hang')).toMatchObject({ status: 'timed_out', error: { code: 'STEP_TIMEOUT' } });
    expect(record.steps.find((s) => s.id === 'next')?.status).toBe('succeeded');
    for (let i = 0; i < 100 && (await runningOn(port)) !== 0; i++) await sleep(50);
    expect(await runningOn(port)).toBe(0);
    expect(project.invocations().filter((i) => i.unit === 'hang').map((i) => i.event)).toEqual(['start']);
  }, 60_000);

  it('Ctrl-C on the coordinator cancels the run and aborts the remote agent', async () => {
    project = new DistProject(TEST_REDIS_URL, freshName('cancel'));
    const workflow = project.writeWorkflow('cancel.yaml', 'version: 1\nname: dist_cancel\nsteps:\n  long: { agent: test.dist.sleep, with: { label: long, ms: 20000 } }\n');
    const worker = await project.startWorker(['--metrics-port', '0']);
    const port = /metrics on http:\/\/127\.0\.0\.1:(\d+)/.exec(worker.stderr)![1]!;
    const child = project.startRun(workflow, ['-o', 'out']);
    const run = collect(child);
    await waitFor('the step to start', () => project!.invocations().find((i) => i.event === 'start'));
    child.kill('SIGINT');
    await run;
    expect(project.record('out').status).toBe('cancelled');
    for (let i = 0; i < 100 && (await runningOn(port)) !== 0; i++) await sleep(50);
    expect(await runningOn(port)).toBe(0);
    expect(project.invocations().map((i) => i.event)).toEqual(['start']);
    expect(worker.child.exitCode).toBeNull(); // still up for the next run
  }, 60_000);
});
