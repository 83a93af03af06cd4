import { join, resolve } from 'node:path';
import { ERROR_CODES, UcopError } from '@ucop/core';
import type { ErrorCode, RunEvent } from '@ucop/core';
import { createParser } from 'eventsource-parser';
import { TOKEN_FILE, readTokenFile } from '../auth/token.ts';
import type { RunView } from '../http/run-view.ts';
import type { RunState } from '../queue/run-state.ts';
import type { WorkflowInfo } from '../pool/run-executor.ts';

export interface DaemonClientOptions {
  /** `http://127.0.0.1:7070`. */
  server: string;
  token: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

export interface SubmitOptions {
  workflow: string;
  /** `key=value` assignments, parsed on the server by each input's declared type. */
  assignments?: string[];
  inputs?: Record<string, unknown>;
  priority?: number;
  idempotencyKey?: string;
}

/** An event of a run's stream: a typed run event, or the run's queue state. */
export type ClientEvent = { kind: 'run'; event: RunEvent } | { kind: 'state'; state: RunState };

/**
 * The token a client uses: `UCOP_TOKEN`, else the token file (`--token-file`, else `<data dir>/token` with the
 * data directory from `UCOP_DATA_DIR` or `.ucop`).
 */
export async function resolveClientToken(env: Readonly<Record<string, string | undefined>>, cwd: string, tokenFile?: string): Promise<string> {
  const fromEnv = env['UCOP_TOKEN']?.trim();
  if (fromEnv) return fromEnv;
  const path = resolve(cwd, tokenFile ?? join(env['UCOP_DATA_DIR'] ?? '.ucop', TOKEN_FILE));
  try {
    return await readTokenFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UcopError('SERVER_UNAUTHORIZED', `no token: set UCOP_TOKEN, or give the daemon's token file with --token-file (${path} does not exist)`, { fields: { path } });
    }
    throw error;
  }
}

/** The daemon's HTTP API from a client (the CLI's `submit` and `runs`). */
export class DaemonClient {
  readonly #base: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;

  constructor(options: DaemonClientOptions) {
    this.#base = options.server.replace(/\/+$/, '');
    this.#token = options.token;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  async submit(options: SubmitOptions, signal?: AbortSignal): Promise<{ run: RunView; created: boolean }> {
    const body = {
      workflow: options.workflow,
      ...(options.assignments && options.assignments.length > 0 ? { input: options.assignments } : {}),
      ...(options.inputs ? { inputs: options.inputs } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
    };
    const response = await this.#request('POST', '/v1/runs', { body, signal });
    return { run: ((await response.json()) as { run: RunView }).run, created: response.status === 201 };
  }

  async list(filter: { state?: string; workflow?: string; limit?: number } = {}, signal?: AbortSignal): Promise<RunView[]> {
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)]));
    const response = await this.#request('GET', `/v1/runs${query.size > 0 ? `?${query}` : ''}`, { signal });
    return ((await response.json()) as { runs: RunView[] }).runs;
  }

  async show(id: string, signal?: AbortSignal): Promise<{ run: RunView; record: Record<string, unknown> | null }> {
    const response = await this.#request('GET', `/v1/runs/${encodeURIComponent(id)}`, { signal });
    return (await response.json()) as { run: RunView; record: Record<string, unknown> | null };
  }

  async cancel(id: string, signal?: AbortSignal): Promise<RunView> {
    const response = await this.#request('POST', `/v1/runs/${encodeURIComponent(id)}/cancel`, { signal });
    return ((await response.json()) as { run: RunView }).run;
  }

  async delete(id: string, signal?: AbortSignal): Promise<void> {
    await this.#request('DELETE', `/v1/runs/${encodeURIComponent(id)}`, { signal });
  }

  async workflows(signal?: AbortSignal): Promise<WorkflowInfo[]> {
    const response = await this.#request('GET', '/v1/workflows', { signal });
    return ((await response.json()) as { workflows: WorkflowInfo[] }).workflows;
  }

  /**
   * The run's events, from the start the daemon still has, until the run is final (or back in the queue);
   * with `follow: false`, only those the daemon has now, then its current state.
   */
  async *events(id: string, signal?: AbortSignal, options: { follow?: boolean } = {}): AsyncGenerator<ClientEvent> {
    const query = options.follow === false ? '?follow=false' : '';
    const response = await this.#request('GET', `/v1/runs/${encodeURIComponent(id)}/events${query}`, { signal, accept: 'text/event-stream' });
    const pending: ClientEvent[] = [];
    const parser = createParser({
      onEvent: (message) => {
        const data = JSON.parse(message.data) as unknown;
        pending.push(message.event === 'state' ? { kind: 'state', state: (data as { state: RunState }).state } : { kind: 'run', event: data as RunEvent });
      },
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      while (pending.length > 0) yield pending.shift()!;
    }
  }

  async #request(method: string, path: string, options: { body?: unknown; signal?: AbortSignal | undefined; accept?: string }): Promise<Response> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          accept: options.accept ?? 'application/json',
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new UcopError('SERVER_UNREACHABLE', `cannot reach the ucop daemon at ${this.#base}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}; start it with \`ucop serve\` or give --server / UCOP_SERVER`, { cause: error });
    }
    if (response.ok) return response;
    let code: ErrorCode = 'SERVER_ERROR';
    let message = `${response.status} ${response.statusText}`;
    let diagnostics: string[] | undefined;
    try {
      const body = (await response.json()) as { error?: { code?: string; message?: string; diagnostics?: string[] } };
      if (body.error?.code && body.error.code in ERROR_CODES) code = body.error.code as ErrorCode;
      else if (response.status === 401) code = 'SERVER_UNAUTHORIZED';
      else if (response.status === 403) code = 'SERVER_FORBIDDEN';
      if (body.error?.message) message = body.error.message;
      diagnostics = body.error?.diagnostics;
    } catch {
      // not JSON: the status line says it
    }
    throw new UcopError(code, `the daemon refused ${method} ${path}: ${message}${diagnostics ? `\n${diagnostics.join('\n')}` : ''}`, { fields: { status: response.status } });
  }
}
