import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { collect, spawnUcop } from '../cli/ucop-process.ts';
import type { UcopResult } from '../cli/ucop-process.ts';

export const SERVER_FIXTURES = resolve(import.meta.dirname, 'fixtures');
export const WORKFLOWS = join(SERVER_FIXTURES, 'workflows');

/** A temporary project whose config/main.yaml loads the test agents, with a providers file. */
export function makeProject(prefix: string): { dir: string; dataDir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config/main.yaml'), `agents:\n  plugins: [${JSON.stringify(join(SERVER_FIXTURES, 'daemon-agents.ts'))}]\n`);
  writeFileSync(join(dir, 'config/providers.yaml'), 'providers:\n  - name: openai\n    kind: openai\n    model: gpt-4o-mini\n    api_key_env: OPENAI_API_KEY\n');
  return { dir, dataDir: join(dir, 'data'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface DaemonProcess {
  url: string;
  port: number;
  token: string;
  child: ChildProcess;
  /** Resolves when the process ends, with its output. */
  exited: Promise<UcopResult>;
  /** What it has written on stderr so far. */
  stderr(): string;
}

/** Starts `ucop serve --port 0` in the project and waits for its address on stdout. */
export async function startDaemonProcess(project: { dir: string; dataDir: string }, args: readonly string[] = [], env: Record<string, string> = {}): Promise<DaemonProcess> {
  const child = spawnUcop(['serve', '--port', '0', '--data-dir', project.dataDir, '--workflows', WORKFLOWS, '--rate-limit', '1000000', ...args], { cwd: project.dir, env });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = collect(child);
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolveUrl(line.trim());
    });
    void exited.then((result) => reject(new Error(`ucop serve exited (${result.code}) before listening: ${stderr}`)));
  });
  const token = readFileSync(join(project.dataDir, 'token'), 'utf8').trim();
  return { url, port: Number(new URL(url).port), token, child, exited, stderr: () => stderr };
}

/** A JSON request to the daemon with its token. */
export async function api<T = unknown>(daemon: Pick<DaemonProcess, 'url' | 'token'>, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${daemon.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${daemon.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: (text === '' ? null : JSON.parse(text)) as T };
}

/**
 * A raw HTTP/1.1 request over a socket (no URL normalisation, any Host), for the refusal tests. A server that
 * refuses a large body answers and closes before the body is sent in full: the body is sent in slices and
 * the sending stops once an answer came (an HTTP client would report EPIPE and drop the answer, and a
 * connection reset would discard the answer unread).
 */
export function rawRequest(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolveResponse, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const body = Buffer.from(options.body ?? '');
    const headers = { ...options.headers, connection: 'close', ...(options.body !== undefined ? { 'content-length': String(body.length) } : {}) };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!match) {
        reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
        return;
      }
      resolveResponse({ status: Number(match[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(`${options.method ?? 'GET'} ${options.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    void (async () => {
      // A large body waits for an early answer to the headers alone (the daemon refuses it by its
      // Content-Length): an answer racing the body could be lost to the connection reset.
      if (body.length > 1024 * 1024) {
        await new Promise((resolveWait) => {
          const timer = setTimeout(resolveWait, 2000);
          socket.once('data', () => {
            clearTimeout(timer);
            resolveWait(undefined);
          });
        });
      }
      for (let at = 0; at < body.length && chunks.length === 0 && !socket.destroyed; at += 64 * 1024) {
        if (!socket.write(body.subarray(at, at + 64 * 1024))) await new Promise((resolveDrain) => socket.once('drain', resolveDrain).once('close', resolveDrain));
      }
      if (chunks.length === 0 && !socket.destroyed) socket.end();
    })();
  });
}

export interface RunView {
  id: string;
  state: string;
  claims: number;
  crashes: number;
  idempotencyKey: string | null;
}

/** Polls the run list until every run is in a final state (or the time is up). */
export async function waitForAllFinal(daemon: Pick<DaemonProcess, 'url' | 'token'>, expected: number, timeoutMs = 60_000): Promise<RunView[]> {
  const final = new Set(['succeeded', 'failed', 'cancelled', 'timed_out', 'dead_letter']);
  let runs: RunView[] = [];
  for (const started = Date.now(); Date.now() - started < timeoutMs; await sleep(100)) {
    runs = (await api<{ runs: RunView[] }>(daemon, 'GET', '/v1/runs?limit=1000')).json.runs;
    if (runs.length >= expected && runs.every((r) => final.has(r.state))) return runs;
  }
  throw new Error(`not all runs finished in ${timeoutMs} ms: ${JSON.stringify(runs.map((r) => r.state))}`);
}

/** `<runId> <unit>` lines of an agent log. */
export function invocations(log: string): { runId: string; unit: string }[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [runId, unit] = line.split(' ');
      return { runId: runId!, unit: unit! };
    });
}

export interface RecordStep {
  id: string;
  itemIndex?: number;
  status: string;
  output?: string;
  resumed?: boolean;
}

export interface RunRecord {
  runId: string;
  status: string;
  startedAt: string;
  wallMs: number;
  steps: RecordStep[];
}

/** The run.json of a run directory, or undefined while it is not written (or being replaced). */
export function readRecord(dataDir: string, id: string): RunRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'runs', id, 'run.json'), 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

/** Every file under a directory, relative. */
export function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}
