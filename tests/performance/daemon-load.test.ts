import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, makeProject, startDaemonProcess, waitForAllFinal } from '../e2e/server/daemon-process.ts';
import type { DaemonProcess, RunView } from '../e2e/server/daemon-process.ts';
import { recordPerfCase } from './perf-report.ts';

/**
 * The daemon under load (a real process over HTTP): how many submissions per second it accepts while its 5
 * slots are busy, the submit latency (p50, p99), and its memory after 2,000 finished runs with retention at
 * 100, against its memory after the first 200 (retention must keep it from growing with the run count).
 * Figures go to reports/perf; the assertions are ratios and counts, never absolute times.
 */
const RETAIN = 100;
const OLD_SPACE_MB = 96;
const WARMUP = 200;
const TOTAL = 2000;
const CLIENTS = 8;

const project = makeProject('ucop-perf-daemon-');
let daemon: DaemonProcess;

beforeAll(async () => {
  // The daemon's old space is capped: a daemon whose retained memory grew with the run count would die of
  // "heap out of memory" within 2,000 runs, whatever garbage a heap sample happens to include.
  daemon = await startDaemonProcess(project, ['--max-concurrent', '5', '--retain-runs', String(RETAIN)], { NODE_OPTIONS: `--max-old-space-size=${OLD_SPACE_MB}` });
});
afterAll(async () => {
  daemon.child.kill('SIGTERM');
  await daemon.exited;
  project.cleanup();
});

/** Submits `count` runs from CLIENTS concurrent clients; returns each request's latency (ms). */
async function submitMany(count: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < count) {
        next += 1;
        const started = performance.now();
        const response = await api<{ run: RunView }>(daemon, 'POST', '/v1/runs', { workflow: 'quick' });
        latencies.push(performance.now() - started);
        expect(response.status).toBe(201);
      }
    }),
  );
  return latencies;
}

async function memory(): Promise<{ rss: number; heapUsed: number }> {
  const text = await (await fetch(`${daemon.url}/metrics`, { headers: { authorization: `Bearer ${daemon.token}` } })).text();
  const read = (kind: string) => Number(new RegExp(`^ucop_daemon_memory_bytes\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(text)?.[1]);
  return { rss: read('rss'), heapUsed: read('heap_used') };
}

/** Waits until no run is waiting or running. */
async function drained(): Promise<void> {
  for (;;) {
    const active = [...(await api<{ runs: RunView[] }>(daemon, 'GET', '/v1/runs?state=queued&limit=1')).json.runs, ...(await api<{ runs: RunView[] }>(daemon, 'GET', '/v1/runs?state=running&limit=1')).json.runs];
    if (active.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe('daemon load', () => {
  it('accepts submissions while 5 runs go, and retention bounds its memory after 2,000 runs', async () => {
    await submitMany(WARMUP);
    await drained();
    const afterWarmup = await memory();

    const started = performance.now();
    const latencies = await submitMany(TOTAL - WARMUP);
    const submitSeconds = (performance.now() - started) / 1000;
    const activeWhileSubmitting = (await api<{ runs: RunView[] }>(daemon, 'GET', '/v1/runs?state=running')).json.runs.length;
    await drained();
    const finishedAt = performance.now();
    const afterAll = await memory();

    const kept = await waitForAllFinal(daemon, 1);
    const runDirs = readdirSync(join(project.dataDir, 'runs')).length;
    const figures = {
      submissions: TOTAL - WARMUP,
      submissionsPerSecond: Math.round((TOTAL - WARMUP) / submitSeconds),
      submitP50Ms: Number(percentile(latencies, 50).toFixed(2)),
      submitP99Ms: Number(percentile(latencies, 99).toFixed(2)),
      runsPerSecond: Math.round((TOTAL - WARMUP) / ((finishedAt - started) / 1000)),
      rssAfterWarmupMb: Math.round(afterWarmup.rss / 2 ** 20),
      rssAfterAllMb: Math.round(afterAll.rss / 2 ** 20),
      heapAfterWarmupMb: Math.round(afterWarmup.heapUsed / 2 ** 20),
      heapAfterAllMb: Math.round(afterAll.heapUsed / 2 ** 20),
      runsKept: kept.length,
      runDirs,
    };
    await recordPerfCase('daemon.load_2000', figures);
    console.log(JSON.stringify(figures));

    expect(activeWhileSubmitting).toBeLessThanOrEqual(5);
    // Retention: the queue and the disk keep RETAIN finished runs, not 2,000.
    expect(kept.length).toBeLessThanOrEqual(RETAIN);
    expect(runDirs).toBeLessThanOrEqual(RETAIN);
    // Memory does not grow with the number of runs. A heap sample is taken without a collection, so it holds
    // whatever garbage is there (37 MB after 200 runs and 85 MB after 2,000 were seen on a quiet machine finishing
    // 111 runs/s): the bound that means something is V8's own, the capped old space the daemon lived in for all
    // 2,000 runs (it is still answering), with RSS beside it.
    expect(daemon.child.exitCode).toBeNull();
    expect(afterAll.heapUsed).toBeLessThan(OLD_SPACE_MB * 2 ** 20);
    expect(afterAll.rss / afterWarmup.rss).toBeLessThan(2);
    expect(percentile(latencies, 99) / percentile(latencies, 50)).toBeLessThan(50);
  });
});
