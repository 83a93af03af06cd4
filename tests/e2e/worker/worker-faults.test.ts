import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '../cli/ucop-process.ts';
import { TEST_REDIS_URL, freshName, redisAvailable } from '../../../packages/worker/src/testing/redis-for-tests.ts';
import { DistProject, waitFor } from './worker-processes.ts';

/**
 * Faults with real `ucop worker` processes and a real `ucop run --executor bullmq` on the Redis at
 * 127.0.0.1:6379 (a fresh queue per test, its keys removed after). Workers run with a 1 s lock and a 0.5 s
 * stalled-job check, so a dead worker's step is delivered again within lock + 2 checks.
 */
const available = await redisAvailable();
const LOCK_MS = 1000;
const STALL_MS = 500;
const WORKER_ARGS = ['--lock-duration', String(LOCK_MS), '--stalled-interval', String(STALL_MS), '--concurrency', '2'];

let project: DistProject | undefined;
afterEach(async () => {
  await project?.dispose();
  project = undefined;
});

describe.skipIf(!available)('distributed runs survive worker faults (real processes, real Redis)', () => {
  it('SIGKILL in the middle of a step: another worker completes it within lock + stall + 1 s; one committed result', async () => {
    project = new DistProject(TEST_REDIS_URL, freshName('kill'));
    const workflow = project.writeWorkflow('kill.yaml', 'version: 1\nname: dist_kill\nsteps:\n  slow: { agent: test.dist.sleep, with: { label: slow, ms: 2500, pid: true } }\noutputs:\n  pid: "${{ steps.slow.output.pid }}"\n');
    const [a, b] = [await project.startWorker(WORKER_ARGS), await project.startWorker(WORKER_ARGS)];
    const run = collect(project.startRun(workflow, ['-o', 'out']));
    const first = await waitFor('the step to start', () => project!.invocations().find((i) => i.event === 'start'));
    const victim = first.pid === a!.pid ? a! : b!;
    const survivor = victim === a ? b! : a!;
    const killedAt = Date.now();
    victim.kill('SIGKILL');
    const again = await waitFor('the step to start on the other worker', () => project!.invocations().find((i) => i.event === 'start' && i.pid === survivor.pid));
    expect(again.ms - killedAt).toBeLessThan(LOCK_MS + STALL_MS + 1000);
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    const record = project.record('out');
    expect(record.status).toBe('succeeded');
    expect(record.steps).toMatchObject([{ id: 'slow', status: 'succeeded', attempts: 1 }]);
    expect(record.outputs).toEqual({ pid: survivor.pid });
    // Two deliveries started the agent; only the survivor's finished, and the record holds its result once.
    const log = project.invocations();
    expect(log.filter((i) => i.event === 'start').map((i) => i.pid)).toEqual([victim.pid, survivor.pid]);
    expect(log.filter((i) => i.event === 'end').map((i) => i.pid)).toEqual([survivor.pid]);
    expect(JSON.parse(readFileSync(join(project.dir, 'out/steps/slow.json'), 'utf8'))).toMatchObject({ output: { pid: survivor.pid } });
  }, 60_000);

  it('SIGSTOP for three lock durations, then SIGCONT: the late result is rejected, the other stands', async () => {
    project = new DistProject(TEST_REDIS_URL, freshName('stop'));
    const workflow = project.writeWorkflow('stop.yaml', 'version: 1\nname: dist_stop\nsteps:\n  slow: { agent: test.dist.sleep, with: { label: slow, ms: 1500, pid: true } }\noutputs:\n  pid: "${{ steps.slow.output.pid }}"\n');
    const [a, b] = [await project.startWorker(WORKER_ARGS), await project.startWorker(WORKER_ARGS)];
    const run = collect(project.startRun(workflow, ['-o', 'out']));
    const first = await waitFor('the step to start', () => project!.invocations().find((i) => i.event === 'start'));
    const frozen = first.pid === a!.pid ? a! : b!;
    const other = frozen === a ? b! : a!;
    frozen.kill('SIGSTOP');
    await sleep(3 * LOCK_MS);
    // On a loaded machine the other worker may need longer to take the step over: stay frozen until it has.
    await waitFor('the other worker to take the step over', () => project!.invocations().find((i) => i.event === 'start' && i.pid === other.pid));
    frozen.kill('SIGCONT');
    await waitFor('the frozen worker to finish its step late', () => project!.invocations().find((i) => i.event === 'end' && i.pid === frozen.pid));
    await waitFor('the frozen worker to report its result rejected', () => (/late result rejected/.test(frozen.stderr) ? true : undefined));
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    expect(project.record('out').outputs).toEqual({ pid: other.pid });
    expect(project.invocations().filter((i) => i.event === 'end').map((i) => i.pid).sort()).toEqual([frozen.pid, other.pid].sort());
  }, 60_000);

  it('a step that kills every worker running it fails for good after its deliveries; another run is unaffected', async () => {
    project = new DistProject(TEST_REDIS_URL, freshName('poison'));
    const poison = project.writeWorkflow('poison.yaml', 'version: 1\nname: dist_poison\nsteps:\n  boom: { agent: test.dist.crash }\n  after: { agent: test.dist.sleep, needs: [boom], with: { label: after, ms: 10 } }\n');
    const healthy = project.writeWorkflow('healthy.yaml', 'version: 1\nname: dist_healthy\nsteps:\n  a: { agent: test.dist.sleep, with: { label: a, ms: 300 } }\n  b: { agent: test.dist.sleep, needs: [a], with: { label: b, ms: 300 } }\n  c: { agent: test.dist.sleep, needs: [b], with: { label: c, ms: 300 } }\n  d: { agent: test.dist.sleep, needs: [c], with: { label: d, ms: 300 } }\n');
    // One step at a time per worker: a poisoned worker takes no other run's step down with it.
    const args = ['--lock-duration', String(LOCK_MS), '--stalled-interval', String(STALL_MS), '--concurrency', '1', '--max-deliveries', '2'];
    const workers = [await project.startWorker(args), await project.startWorker(args), await project.startWorker(args)];
    const [poisoned, other] = await Promise.all([collect(project.startRun(poison, ['-o', 'poison'])), collect(project.startRun(healthy, ['-o', 'healthy']))]);
    expect(poisoned.code, poisoned.stderr).toBe(4);
    const record = project.record('poison');
    expect(record.status).toBe('failed');
    expect(record.steps.find((s) => s.id === 'boom')).toMatchObject({ status: 'failed', error: { code: 'WORKER_LOST' } });
    expect(record.steps.find((s) => s.id === 'after')?.status).toBe('skipped');
    expect(project.invocations().filter((i) => i.unit === 'boom')).toHaveLength(2);
    const dead = await Promise.all(workers.map(async (w) => (w.child.exitCode === null && w.child.signalCode === null ? undefined : (await w.exited).signal)));
    expect(dead.filter((s) => s === 'SIGKILL')).toHaveLength(2);
    expect(other.code, other.stderr).toBe(0);
    expect(project.record('healthy').status).toBe('succeeded');
  }, 60_000);
});
