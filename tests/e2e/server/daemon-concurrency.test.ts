import { execFileSync, spawnSync } from 'node:child_process';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, invocations, makeProject, readRecord, startDaemonProcess, waitForAllFinal } from './daemon-process.ts';
import type { DaemonProcess, RunView } from './daemon-process.ts';

/**
 * 200 submissions to a real daemon process with --max-concurrent 5: all finish, none is lost or run twice
 * (each step invoked exactly once, by the agents' invocation log), and never more than 5 run at once (from
 * the records' start and end times). Then /metrics is parsed as Prometheus text (and checked by
 * `promtool check metrics` where it is installed).
 */
const RUNS = 200;
const MAX = 5;

const project = makeProject('ucop-e2e-daemon-load-');
const log = `${project.dir}/invocations.log`;
let daemon: DaemonProcess;

beforeAll(async () => {
  daemon = await startDaemonProcess(project, ['--max-concurrent', String(MAX)], { DAEMON_AGENT_LOG: log });
});
afterAll(async () => {
  daemon.child.kill('SIGTERM');
  await daemon.exited;
  project.cleanup();
});

describe('the daemon under 200 submissions (real process, HTTP)', () => {
  it('runs every run once, at most 5 at a time', async () => {
    const ids: string[] = [];
    // 20 clients submitting at once.
    await Promise.all(
      Array.from({ length: 20 }, async (_, client) => {
        for (let i = client; i < RUNS; i += 20) {
          const response = await api<{ run: RunView }>(daemon, 'POST', '/v1/runs', { workflow: 'quick', inputs: { n: i } });
          expect(response.status).toBe(201);
          ids.push(response.json.run.id);
        }
      }),
    );
    expect(new Set(ids).size).toBe(RUNS);
    const runs = await waitForAllFinal(daemon, RUNS, 120_000);
    expect(runs).toHaveLength(RUNS);
    expect(runs.every((r) => r.state === 'succeeded' && r.claims === 1)).toBe(true);

    // Each step of each run invoked exactly once.
    const seen = new Map<string, number>();
    for (const { runId, unit } of invocations(log)) seen.set(`${runId} ${unit}`, (seen.get(`${runId} ${unit}`) ?? 0) + 1);
    expect(seen.size).toBe(RUNS * 2);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(new Set([...seen.keys()].map((k) => k.split(' ')[0]))).toEqual(new Set(ids));

    // At most MAX at once, from the records: sweep the start and end times.
    const edges: [number, number][] = [];
    for (const id of ids) {
      const record = readRecord(project.dataDir, id)!;
      expect(record.status).toBe('succeeded');
      expect(record.runId).toBe(id);
      const start = Date.parse(record.startedAt);
      edges.push([start, 1], [start + record.wallMs, -1]);
    }
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let peak = 0;
    for (const [, delta] of edges) peak = Math.max(peak, (running += delta));
    expect(peak).toBeLessThanOrEqual(MAX);
    expect(peak).toBeGreaterThan(1); // the pool did run them concurrently
  });

  it('serves /metrics as Prometheus text: queue depth, active runs, run and step histograms', async () => {
    const response = await fetch(`${daemon.url}/metrics`, { headers: { authorization: `Bearer ${daemon.token}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
    expect(families.get('ucop_queue_runs')?.metrics).toEqual(expect.arrayContaining([{ labels: { state: 'succeeded' }, value: String(RUNS) }, { labels: { state: 'running' }, value: '0' }]));
    expect(families.get('ucop_active_runs')?.metrics[0]?.value).toBe('0');
    expect(families.get('ucop_run_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(families.get('ucop_step_duration_seconds')?.type).toBe('HISTOGRAM');
    // The parser drops the labels of histogram series: their counts are read from the text.
    expect(text).toContain(`ucop_run_duration_seconds_count{workflow="quick",status="succeeded"} ${RUNS}\n`);
    expect(text).toContain(`ucop_step_duration_seconds_count{workflow="quick",status="succeeded"} ${RUNS * 2}\n`);
    for (const name of ['ucop_provider_requests_total', 'ucop_provider_errors_total', 'ucop_provider_rate_limit_waits_total', 'ucop_provider_breaker_state']) expect(families.has(name), name).toBe(true);
    const promtool = spawnSync('promtool', ['--version']);
    if (promtool.status === 0) execFileSync('promtool', ['check', 'metrics'], { input: text });
  });
});
