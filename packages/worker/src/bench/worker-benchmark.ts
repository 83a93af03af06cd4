import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { LocalExecutor, noopSpan } from '@ucop/core';
import type { StepExecutor, StepTask } from '@ucop/core';
import { BullmqExecutor } from '../bullmq-executor.ts';
import { keyPattern, queueNames } from '../queue-names.ts';
import type { QueueNames } from '../queue-names.ts';
import { benchAgents } from './bench-agents.ts';
import { monitorCommands } from './command-monitor.ts';

export interface WorkerBenchmarkOptions {
  redisUrl: string;
  /** Worker process counts to measure. @default [1, 2, 4, 8] */
  workerCounts?: readonly number[];
  /** Simulated I/O of one step. @default 50 */
  stepMs?: number;
  /** Steps per worker process in the throughput runs. @default 24 */
  stepsPerWorker?: number;
  /** Measurements per worker count; the best counts (a loaded machine only ever slows a run down). @default 2 */
  repeats?: number;
  /** Sequential no-op steps for the overhead figure. @default 200 */
  noopSteps?: number;
  signal?: AbortSignal;
}

export interface ThroughputFigure {
  workers: number;
  steps: number;
  wallMs: number;
  stepsPerSecond: number;
  /** Throughput relative to one worker (target: at least 0.9 x workers). */
  speedup: number;
  /** speedup / workers. */
  efficiency: number;
}

export interface WorkerBenchmarkReport {
  stepMs: number;
  throughput: ThroughputFigure[];
  overhead: {
    steps: number;
    localMsPerStep: number;
    bullmqMsPerStep: number;
    /** What one step costs on the bullmq executor beyond the local one (queue, Redis, process hop). */
    overheadMsPerStep: number;
    /** Network round trips to Redis per step, all processes together (coordinator, worker, events reader). */
    roundTripsPerStep: number;
    /** Commands Redis ran per step, those inside BullMQ's and our Lua scripts included. */
    redisCommandsPerStep: number;
    /** Round trips per step by command (`evalsha` is a script: BullMQ's or a fence). */
    roundTripsByCommand: Record<string, number>;
  };
}

function task(agent: string, input: Record<string, unknown>, i: number): StepTask {
  return { runId: 'bench', workflow: 'bench', stepId: `s${i}`, attempt: 1, agent, input, writes: [], timeoutMs: 60_000, fallback: [] };
}

/** Runs `count` steps through `executor`, at most `parallel` at a time; resolves with the wall time. */
async function drive(executor: StepExecutor, count: number, parallel: number, make: (i: number) => StepTask, signal: AbortSignal): Promise<number> {
  let next = 0;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (next < count) {
      const result = await executor.execute(make(next++), { signal, span: noopSpan, readState: () => ({}) });
      if (!result.ok) throw result.error;
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return performance.now() - started;
}

const MAIN = fileURLToPath(new URL(`./bench-worker-main${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));

/** Starts `n` benchmark worker processes (concurrency 1 each) and waits until each is ready. */
async function startWorkers(n: number, url: string, names: QueueNames): Promise<ChildProcess[]> {
  const fromSource = MAIN.endsWith('.ts');
  return Promise.all(
    Array.from({ length: n }, () => {
      const child = spawn(process.execPath, [...(fromSource ? ['--conditions=@ucop/source'] : []), MAIN, url, names.queue, '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
      return new Promise<ChildProcess>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`benchmark worker exited with ${code}`)));
        child.stdout!.once('data', () => resolve(child));
      });
    }),
  );
}

async function stopWorkers(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.removeAllListeners('exit');
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

/**
 * The distributed executor's figures: throughput of 1, 2, 4, 8 worker processes on I/O-bound steps relative
 * to one, and the per-step overhead of the bullmq executor against the local one on no-op steps, with the
 * Redis commands one step costs. Uses a fresh queue and removes its keys after.
 */
export async function benchmarkWorkers(options: WorkerBenchmarkOptions): Promise<WorkerBenchmarkReport> {
  const stepMs = options.stepMs ?? 50;
  const signal = options.signal ?? new AbortController().signal;
  const names = queueNames(`bench-${randomUUID().slice(0, 8)}`);
  const redis = new Redis(options.redisUrl);
  const executor = await BullmqExecutor.open({ redisUrl: options.redisUrl, names });
  const throughput: ThroughputFigure[] = [];
  try {
    for (const workers of options.workerCounts ?? [1, 2, 4, 8]) {
      const children = await startWorkers(workers, options.redisUrl, names);
      try {
        const steps = (options.stepsPerWorker ?? 24) * workers;
        // Twice as many steps in flight as workers: a worker finds its next step queued, as in a run with
        // more ready steps than workers (what the figure is about), instead of idling for a round trip.
        await drive(executor, workers * 2, workers * 2, (i) => task('bench.io', { ms: stepMs }, i), signal); // warm-up
        let wallMs = Number.POSITIVE_INFINITY;
        for (let r = 0; r < (options.repeats ?? 2); r++) wallMs = Math.min(wallMs, await drive(executor, steps, workers * 2, (i) => task('bench.io', { ms: stepMs }, i), signal));
        const stepsPerSecond = (steps / wallMs) * 1000;
        const base = throughput[0]?.stepsPerSecond ?? stepsPerSecond;
        const speedup = throughput.length === 0 ? workers : (stepsPerSecond / base) * (throughput[0]!.workers);
        throughput.push({ workers, steps, wallMs, stepsPerSecond, speedup, efficiency: speedup / workers });
      } finally {
        await stopWorkers(children);
      }
    }
    const noopSteps = options.noopSteps ?? 200;
    const local = new LocalExecutor({ agents: benchAgents(), state: { snapshot: () => ({}), get: () => undefined } });
    await drive(local, 50, 1, (i) => task('bench.noop', {}, i), signal);
    const localMs = await drive(local, noopSteps, 1, (i) => task('bench.noop', {}, i), signal);
    const children = await startWorkers(1, options.redisUrl, names);
    try {
      await drive(executor, 20, 1, (i) => task('bench.noop', {}, i), signal);
      const counter = await monitorCommands(options.redisUrl, names.queue);
      const bullmqMs = await drive(executor, noopSteps, 1, (i) => task('bench.noop', {}, i), signal);
      const counted = counter.stop();
      return {
        stepMs,
        throughput,
        overhead: {
          steps: noopSteps,
          localMsPerStep: localMs / noopSteps,
          bullmqMsPerStep: bullmqMs / noopSteps,
          overheadMsPerStep: (bullmqMs - localMs) / noopSteps,
          roundTripsPerStep: counted.roundTrips / noopSteps,
          redisCommandsPerStep: (counted.roundTrips + counted.inScripts) / noopSteps,
          roundTripsByCommand: Object.fromEntries(Object.entries(counted.byCommand).map(([k, v]) => [k, Math.round((v / noopSteps) * 100) / 100])),
        },
      };
    } finally {
      await stopWorkers(children);
    }
  } finally {
    await executor.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', keyPattern(names), 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  }
}
