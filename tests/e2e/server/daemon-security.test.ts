import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUcop } from '../cli/ucop-process.ts';
import { allFiles, api, makeProject, rawRequest, startDaemonProcess, waitForAllFinal } from './daemon-process.ts';
import type { DaemonProcess, RunView } from './daemon-process.ts';

/**
 * The refusals over real HTTP (no token, wrong token, foreign Host, foreign Origin, a 10 MB body, a path out
 * of the run directory, DELETE without a token: the right status and nothing changed on disk), a provider
 * key that appears nowhere, idempotency keys and the CLI client against a real daemon process.
 */
const SECRET = 'sk-daemon-e2e-SECRET-4242424242424242';
const project = makeProject('ucop-e2e-daemon-sec-');
let daemon: DaemonProcess;
const responses: string[] = [];

beforeAll(async () => {
  daemon = await startDaemonProcess(project, [], { OPENAI_API_KEY: SECRET });
});
afterAll(async () => {
  if (daemon.child.exitCode === null) {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
  }
  project.cleanup();
});

/** Every file under the data directory with its size and modification time. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(project.dataDir, { recursive: true })) {
    const info = statSync(join(project.dataDir, String(entry)));
    out[String(entry)] = info.isDirectory() ? 'dir' : `${info.size}:${info.mtimeMs}`;
  }
  return out;
}

function ucop(args: string[]) {
  return runUcop(args, { cwd: project.dir, env: { UCOP_SERVER: daemon.url, UCOP_DATA_DIR: project.dataDir } });
}

describe('the daemon refuses what it must (real process, HTTP)', () => {
  it('no token, wrong token, foreign Host, foreign Origin, 10 MB body, ../../x, DELETE without token: right status, nothing changed', async () => {
    const { run } = (await api<{ run: RunView }>(daemon, 'POST', '/v1/runs', { workflow: 'quick' })).json;
    await waitForAllFinal(daemon, 1);
    const before = snapshot();
    const auth = { authorization: `Bearer ${daemon.token}` };
    const host = { host: `127.0.0.1:${daemon.port}` };
    const body = JSON.stringify({ workflow: 'quick' });
    const json = { 'content-type': 'application/json' };
    const cases: [string, Parameters<typeof rawRequest>[1], number][] = [
      ['no token', { method: 'POST', path: '/v1/runs', headers: { ...host, ...json }, body }, 401],
      ['wrong token', { method: 'POST', path: '/v1/runs', headers: { ...host, ...json, authorization: 'Bearer not-the-token-at-all-0000' }, body }, 401],
      ['token without Bearer', { path: '/v1/runs', headers: { ...host, authorization: daemon.token } }, 401],
      ['foreign Host', { method: 'POST', path: '/v1/runs', headers: { ...auth, ...json, host: 'evil.example' }, body }, 403],
      ['rebinding Host on the right port', { path: '/v1/runs', headers: { ...auth, host: `evil.example:${daemon.port}` } }, 403],
      ['foreign Origin', { method: 'POST', path: '/v1/runs', headers: { ...auth, ...host, ...json, origin: 'https://evil.example' }, body }, 403],
      ['10 MB body', { method: 'POST', path: '/v1/runs', headers: { ...auth, ...host, ...json }, body: JSON.stringify({ workflow: 'quick', inputs: { x: 'x'.repeat(10 * 1024 * 1024) } }) }, 413],
      ['../../x download', { path: `/v1/runs/${run.id}/files/../../x`, headers: { ...auth, ...host } }, 404],
      ['encoded ../../token download', { path: `/v1/runs/${run.id}/files/..%2F..%2Ftoken`, headers: { ...auth, ...host } }, 404],
      ['DELETE without token', { method: 'DELETE', path: `/v1/runs/${run.id}`, headers: host }, 401],
      ['DELETE with a wrong token', { method: 'DELETE', path: `/v1/runs/${run.id}`, headers: { ...host, authorization: 'Bearer wrong-wrong-wrong-wrong' } }, 401],
    ];
    for (const [name, request, status] of cases) {
      const response = await rawRequest(daemon.port, request);
      expect(response.status, name).toBe(status);
      expect(response.body, name).not.toContain(daemon.token);
      responses.push(response.body);
    }
    expect(snapshot()).toEqual(before);
    expect((await api<{ runs: RunView[] }>(daemon, 'GET', '/v1/runs')).json.runs.map((r) => r.id)).toEqual([run.id]);
    // GET /health alone needs no token.
    expect((await rawRequest(daemon.port, { path: '/health', headers: host })).status).toBe(200);
  });

  it('the same idempotency key twice, also after completion, is one run; submit --wait exits as ucop run would', async () => {
    const first = await ucop(['submit', 'quick', '-i', 'n=7', '--idempotency-key', 'nightly-2026-12-07', '--wait', '--quiet']);
    expect(first.code, first.stderr).toBe(0);
    const id = first.stdout.trim().split(' ')[0]!;
    expect(first.stdout.trim()).toBe(`${id} succeeded`);
    const again = await ucop(['submit', 'quick', '-i', 'n=7', '--idempotency-key', 'nightly-2026-12-07']);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe(id);
    expect(again.stderr).toMatch(/idempotency key already used/);
    const keyed = (await api<{ runs: RunView[] }>(daemon, 'GET', '/v1/runs?limit=1000')).json.runs.filter((r) => r.idempotencyKey === 'nightly-2026-12-07');
    expect(keyed.map((r) => r.id)).toEqual([id]);

    const failing = await ucop(['submit', 'failing', '--wait']);
    expect(failing.code).toBe(4);
    expect(failing.stderr).toMatch(/boom failed/);
    const list = await ucop(['runs', 'list']);
    expect(list.stdout).toMatch(/failed\s+failing/);
    const logs = await ucop(['runs', 'logs', id, '--follow']);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/state succeeded/);
    const kept = await ucop(['runs', 'logs', id]);
    expect(kept.stdout).toMatch(/run started: quick, 2 steps[\s\S]*a succeeded[\s\S]*state succeeded/);
    const shown = await ucop(['runs', 'show', id]);
    expect(shown.stdout).toMatch(/state\s+succeeded[\s\S]*succeeded\s+b/);
    const missing = await ucop(['submit', 'nosuch']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/FILE_NOT_FOUND/);
    const unauthorised = await runUcop(['runs', 'list'], { cwd: project.dir, env: { UCOP_SERVER: daemon.url, UCOP_TOKEN: 'wrong-token-wrong-token' } });
    expect(unauthorised.code).toBe(2);
    expect(unauthorised.stderr).toMatch(/SERVER_UNAUTHORIZED/);
  });

  it("a configured provider's API key appears in no response, log line, event or file", async () => {
    const { run } = (await api<{ run: RunView }>(daemon, 'POST', '/v1/runs', { workflow: 'secret' })).json;
    const [finished] = (await waitForAllFinal(daemon, 1)).filter((r) => r.id === run.id);
    expect(finished?.state).toBe('failed');
    const seen: string[] = [...responses];
    const get = async (path: string) => {
      const response = await fetch(`${daemon.url}${path}`, { headers: { authorization: `Bearer ${daemon.token}` } });
      const text = await response.text();
      seen.push(text);
      return text;
    };
    const shown = JSON.parse(await get(`/v1/runs/${run.id}`)) as { record: { outputs?: Record<string, unknown> } };
    // The value went through (masked), so the test would see it if masking failed.
    expect(JSON.stringify(shown.record)).toMatch(/\*\*\*|\[redacted\]|REDACTED/i);
    await get('/v1/runs?limit=1000');
    const events = await get(`/v1/runs/${run.id}/events`);
    expect(events).toMatch(/event: step\.failed/);
    const files = JSON.parse(await get(`/v1/runs/${run.id}/files`)) as { files: string[] };
    for (const file of files.files) await get(`/v1/runs/${run.id}/files/${file}`);
    await get('/metrics');
    await get('/openapi.json');
    expect(JSON.parse(await get('/ready'))).toEqual({ ready: true, checks: { queue: true, runs_dir: true, workflows: true } });
    daemon.child.kill('SIGTERM');
    const exited = await daemon.exited;
    seen.push(exited.stdout, exited.stderr);
    for (const text of seen) expect(text).not.toContain(SECRET);
    for (const file of allFiles(project.dataDir)) {
      expect(readFileSync(file).includes(SECRET), relative(project.dataDir, file)).toBe(false);
    }
  });
});
