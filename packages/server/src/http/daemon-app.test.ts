import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UcopError } from '@ucop/core';
import { startDaemon } from '../daemon.ts';
import type { RunningDaemon } from '../daemon.ts';
import { GatedExecutor, fakeCatalog } from '../testing/fake-executor.ts';

const TOKEN = 'unit-test-token-0123456789abcdef';
let dataDir: string;
let daemon: RunningDaemon;
let executor: GatedExecutor;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ucop-app-'));
  executor = new GatedExecutor();
  daemon = await startDaemon({ dataDir, port: 0, maxConcurrent: 2, executor, catalog: fakeCatalog(), env: { UCOP_TOKEN: TOKEN }, drainTimeoutMs: 0 });
});
afterEach(async () => {
  await daemon.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type InjectOptions = { method?: 'GET' | 'POST' | 'DELETE'; url: string; headers?: Record<string, string>; payload?: unknown; token?: string | null };

function call(options: InjectOptions) {
  const headers: Record<string, string> = { host: `127.0.0.1:${daemon.port}`, ...options.headers };
  if (options.token !== null) headers['authorization'] = `Bearer ${options.token ?? TOKEN}`;
  return daemon.app.inject({ method: options.method ?? 'GET', url: options.url, headers, ...(options.payload !== undefined ? { payload: options.payload as string } : {}) });
}

async function submit(payload: Record<string, unknown> = { workflow: 'sim' }): Promise<string> {
  const response = await call({ method: 'POST', url: '/v1/runs', payload });
  expect(response.statusCode).toBe(201);
  return (response.json() as { run: { id: string } }).run.id;
}

/** Names, sizes and modification times of every file under the data directory. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dataDir, { recursive: true })) {
    const path = join(dataDir, String(entry));
    const info = statSync(path);
    out[String(entry)] = info.isDirectory() ? 'dir' : `${info.size}:${info.mtimeMs}`;
  }
  return out;
}

describe('the daemon API (inject)', () => {
  it('while the executor cannot take runs (Redis down), a submission is refused at once with 503 REDIS_UNAVAILABLE and nothing is queued', async () => {
    executor.setUnavailable(new UcopError('REDIS_UNAVAILABLE', 'Redis at redis://127.0.0.1:1/ is unreachable'));
    const refused = await call({ method: 'POST', url: '/v1/runs', payload: { workflow: 'sim', idempotencyKey: 'k1' } });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toMatchObject({ error: { code: 'REDIS_UNAVAILABLE' } });
    expect(daemon.queue.list({})).toHaveLength(0);
    executor.setUnavailable(undefined);
    await submit({ workflow: 'sim', idempotencyKey: 'k1' });
    await executor.startedAtLeast(1);
  });

  it('GET /health needs no token; everything else does, and a wrong token is refused', async () => {
    expect((await call({ url: '/health', token: null })).statusCode).toBe(200);
    for (const url of ['/ready', '/metrics', '/v1/runs', '/v1/workflows', '/openapi.json', '/nosuch']) {
      const none = await call({ url, token: null });
      expect(none.statusCode, url).toBe(401);
      expect(none.json()).toMatchObject({ error: { code: 'SERVER_UNAUTHORIZED' } });
      expect((await call({ url, token: 'wrong-token-wrong-token-wrong' })).statusCode, url).toBe(401);
    }
    expect((await call({ url: '/ready' })).json()).toMatchObject({ ready: true, checks: { queue: true, runs_dir: true } });
  });

  it('refuses a foreign Host and a foreign Origin with 403, token or not', async () => {
    expect((await call({ url: '/v1/runs', headers: { host: 'evil.example:80' } })).statusCode).toBe(403);
    expect((await call({ url: '/health', headers: { host: `attacker.test:${daemon.port}` }, token: null })).statusCode).toBe(403);
    expect((await call({ url: '/v1/runs', headers: { origin: 'http://evil.example' } })).statusCode).toBe(403);
    expect((await call({ url: '/v1/runs', headers: { origin: 'null' } })).statusCode).toBe(403);
    expect((await call({ url: '/v1/runs', headers: { host: `localhost:${daemon.port}`, origin: `http://localhost:${daemon.port}` } })).statusCode).toBe(200);
  });

  it('a body over the limit is 413 and queues nothing; without a token it is 401 before the body is read', async () => {
    const before = snapshot();
    const big = JSON.stringify({ workflow: 'sim', inputs: { x: 'a'.repeat(2 * 1024 * 1024) } });
    const refused = await call({ method: 'POST', url: '/v1/runs', payload: big, headers: { 'content-type': 'application/json' } });
    expect(refused.statusCode).toBe(413);
    expect(refused.json()).toMatchObject({ error: { code: 'SERVER_BODY_TOO_LARGE' } });
    expect((await call({ method: 'POST', url: '/v1/runs', payload: big, headers: { 'content-type': 'application/json' }, token: null })).statusCode).toBe(401);
    expect(daemon.queue.list()).toEqual([]);
    expect(snapshot()).toEqual(before);
  });

  it('submits, lists, shows, cancels and deletes; DELETE without a token changes nothing', async () => {
    const id = await submit({ workflow: 'sim', input: ['n=3'] });
    await executor.startedAtLeast(1);
    const shown = await call({ url: `/v1/runs/${id}` });
    expect(shown.json()).toMatchObject({ run: { id, state: 'running', inputs: { n: 3 } }, record: null });
    expect((await call({ url: '/v1/runs?state=running' })).json()).toMatchObject({ runs: [{ id }] });
    expect((await call({ method: 'DELETE', url: `/v1/runs/${id}` })).statusCode).toBe(409);
    expect((await call({ method: 'POST', url: `/v1/runs/${id}/cancel` })).statusCode).toBe(202);
    await vitestWaitFor(() => daemon.queue.get(id)?.state === 'cancelled');
    const before = snapshot();
    expect((await call({ method: 'DELETE', url: `/v1/runs/${id}`, token: null })).statusCode).toBe(401);
    expect((await call({ method: 'DELETE', url: `/v1/runs/${id}`, token: 'not-the-token-not-the-token' })).statusCode).toBe(401);
    expect(snapshot()).toEqual(before);
    expect(daemon.queue.get(id)?.state).toBe('cancelled');
    expect((await call({ method: 'DELETE', url: `/v1/runs/${id}` })).statusCode).toBe(204);
    expect((await call({ url: `/v1/runs/${id}` })).statusCode).toBe(404);
  });

  it('refuses unknown workflows, bad inputs and bad ids with the right status', async () => {
    expect((await call({ method: 'POST', url: '/v1/runs', payload: { workflow: 'nosuch' } })).statusCode).toBe(404);
    expect((await call({ method: 'POST', url: '/v1/runs', payload: { workflow: '../etc/passwd' } })).statusCode).toBe(400);
    expect((await call({ method: 'POST', url: '/v1/runs', payload: { workflow: 'sim', input: ['n=x'] } })).statusCode).toBe(400);
    expect((await call({ method: 'POST', url: '/v1/runs', payload: { workflow: 'sim', extra: 1 } })).statusCode).toBe(400);
    expect((await call({ url: '/v1/runs/not-a-uuid' })).statusCode).toBe(400);
    expect((await call({ url: '/v1/runs/00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
  });

  it('the same idempotency key gives the same run, also after it finished (body or header)', async () => {
    const first = await call({ method: 'POST', url: '/v1/runs', payload: { workflow: 'sim', idempotencyKey: 'nightly-1' } });
    expect(first.statusCode).toBe(201);
    const id = (first.json() as { run: { id: string } }).run.id;
    await executor.startedAtLeast(1);
    executor.release(id);
    await vitestWaitFor(() => daemon.queue.get(id)?.state === 'succeeded');
    const again = await call({ method: 'POST', url: '/v1/runs', payload: { workflow: 'sim' }, headers: { 'idempotency-key': 'nightly-1' } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ run: { id, state: 'succeeded' } });
    expect((await call({ method: 'POST', url: '/v1/runs', payload: { workflow: 'other', idempotencyKey: 'nightly-1' } })).statusCode).toBe(409);
    expect(daemon.queue.list()).toHaveLength(1);
    expect(executor.started).toEqual([id]);
  });

  it('downloads files only from inside the run directory', async () => {
    const id = await submit();
    const runDir = join(dataDir, 'runs', id);
    mkdirSync(join(runDir, 'steps'), { recursive: true });
    writeFileSync(join(runDir, 'steps', 'a.json'), '{"ok":true}');
    writeFileSync(join(dataDir, 'x'), 'outside');
    symlinkSync(join(dataDir, 'x'), join(runDir, 'link'));
    const ok = await call({ url: `/v1/runs/${id}/files/steps/a.json` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('{"ok":true}');
    expect((await call({ url: `/v1/runs/${id}/files` })).json()).toMatchObject({ files: expect.arrayContaining(['steps/a.json']) });
    for (const path of ['../../x', '..%2F..%2Fx', '%2e%2e/%2e%2e/x', 'link', '/etc/passwd', 'steps', '.ucop-run.lock', 'steps/..%2F..%2F..%2Fx']) {
      const refused = await call({ url: `/v1/runs/${id}/files/${path}` });
      expect([400, 404], path).toContain(refused.statusCode);
      expect(refused.body).not.toContain('outside');
    }
  });

  it('streams a run\'s typed events as Server-Sent Events, ending at its final state; follow=false ends at once', async () => {
    const id = await submit();
    await executor.startedAtLeast(1);
    const now = await call({ url: `/v1/runs/${id}/events?follow=false` });
    expect(now.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(now.body).toMatch(/event: state\ndata: \{"state":"running"\}/);
    expect(now.body).toMatch(/event: run\.started\ndata: \{"type":"run\.started","runId":"[^"]+","workflow":"sim"/);
    const following = call({ url: `/v1/runs/${id}/events` });
    executor.release(id);
    const body = (await following).body;
    const names = [...body.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    expect(names).toEqual(['state', 'run.started', 'run.finished', 'state']);
    expect(body.trimEnd().endsWith('data: {"state":"succeeded"}')).toBe(true);
    // Past the end the stream says the final state and ends.
    expect((await call({ url: `/v1/runs/${id}/events` })).body).toMatch(/data: \{"state":"succeeded"\}\n\n$/);
  });

  it('serves an OpenAPI document listing the routes', async () => {
    const doc = (await call({ url: '/openapi.json' })).json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/ready', '/metrics', '/v1/runs', '/v1/runs/{id}', '/v1/runs/{id}/cancel', '/v1/runs/{id}/events', '/v1/workflows']));
  });

  it('serves Prometheus metrics that parse, with the queue depth by state', async () => {
    await submit();
    await executor.startedAtLeast(1);
    executor.release(executor.started[0]!);
    await vitestWaitFor(() => daemon.queue.countsByState().succeeded === 1);
    const response = await call({ url: '/metrics' });
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const families = parsePrometheusTextFormat(response.body);
    const depth = families.find((f) => f.name === 'ucop_queue_runs')!;
    expect(depth.metrics).toEqual(expect.arrayContaining([{ labels: { state: 'succeeded' }, value: '1' }, { labels: { state: 'running' }, value: '0' }]));
    expect(families.find((f) => f.name === 'ucop_run_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(families.find((f) => f.name === 'ucop_active_runs')?.metrics[0]?.value).toBe('0');
  });

  it('one daemon per data directory; a port in use is a usage error, and releases the directory', async () => {
    await expect(startDaemon({ dataDir, port: 0, executor, catalog: fakeCatalog(), env: { UCOP_TOKEN: TOKEN } })).rejects.toMatchObject({ code: 'RUN_LOCKED' });
    const other = mkdtempSync(join(tmpdir(), 'ucop-app-other-'));
    try {
      await expect(startDaemon({ dataDir: other, port: daemon.port, executor, catalog: fakeCatalog(), env: { UCOP_TOKEN: TOKEN } })).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/EADDRINUSE/) });
      const second = await startDaemon({ dataDir: other, port: 0, executor, catalog: fakeCatalog(), env: {} });
      // Without UCOP_TOKEN the token file is created, readable by its owner only.
      expect(statSync(join(other, 'token')).mode & 0o777).toBe(0o600);
      expect(second.tokenSource).toBe(join(other, 'token'));
      await second.stop();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('rate-limits a client past its budget with 429', async () => {
    await daemon.stop();
    daemon = await startDaemon({ dataDir, port: 0, executor, catalog: fakeCatalog(), env: { UCOP_TOKEN: TOKEN }, rateLimit: { max: 3, windowMs: 60_000 } });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await call({ url: '/v1/runs' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const refused = await call({ url: '/v1/runs' });
    expect(refused.json()).toMatchObject({ error: { code: 'SERVER_RATE_LIMITED', message: expect.stringMatching(/at most 3 per 60 s/) } });
    expect(refused.headers['retry-after']).toBeDefined();
  });
});

async function vitestWaitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}
