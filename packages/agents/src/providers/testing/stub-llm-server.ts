import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A local OpenAI-compatible server written for the provider tests: real HTTP on 127.0.0.1, so the AI SDK
 * adapters are exercised end to end (fetch, headers, JSON parsing, abort). Each chat completion follows a
 * scripted behaviour, and every request is logged with its arrival and end times so that a test can check,
 * from the server's own point of view, how many requests arrived in any window and how many overlapped.
 */

/** How the server answers one chat completion. */
export type StubBehaviour =
  /** 200 with a well-formed completion, after `delayMs` (default 0). */
  | { kind: 'ok'; text?: string; delayMs?: number }
  /** 200 after `ms`: a slow model. */
  | { kind: 'slow'; ms: number; text?: string }
  /** Never answers; the request ends only when the client goes away (or the server closes). */
  | { kind: 'hang' }
  /** 429 with `Retry-After: <retryAfter>` (seconds or an HTTP date); no header when undefined. */
  | { kind: 'rate-limit'; retryAfter?: string }
  /** Any status with an OpenAI-style error body (or `body` verbatim). */
  | { kind: 'error'; status: number; body?: string }
  /** 200 whose body is not valid JSON. */
  | { kind: 'malformed' };

/** One request as the server saw it. Times come from the server's clock (performance.now by default). */
export interface StubRequestRecord {
  seq: number;
  method: string;
  path: string;
  arrivalMs: number;
  /** When the answer finished, or the client went away; undefined while still open. */
  endMs: number | undefined;
  /** The behaviour followed (`models` for GET /v1/models, `not-found` for anything else). */
  behaviour: StubBehaviour['kind'] | 'models' | 'not-found';
  status: number | undefined;
  /** True when the client closed the connection before the answer was complete. */
  aborted: boolean;
  /** Whether an Authorization header came (its value is never recorded). */
  authorized: boolean;
  model: string | undefined;
  /** The last user message. */
  prompt: string | undefined;
}

export interface StubLlmServerOptions {
  /**
   * Chooses the behaviour of a chat completion that no `script()` entry covers.
   * @default () => ({ kind: 'ok' })
   */
  behaviour?: (request: { seq: number; prompt: string | undefined; model: string | undefined }) => StubBehaviour;
  /** @default () => performance.now() */
  now?: () => number;
}

export interface StubLlmServer {
  /** `http://127.0.0.1:<port>/v1`, the `base_url` to configure. */
  readonly baseUrl: string;
  /** Every request so far, in arrival order. */
  readonly requests: readonly StubRequestRecord[];
  /** Chat completions only. */
  completions(): StubRequestRecord[];
  /** Behaviours for the next chat completions, in order; after them the default behaviour applies. */
  script(...behaviours: StubBehaviour[]): void;
  /** Forgets the log and any unused script, and numbers requests from 0 again. */
  reset(): void;
  /** Closes the server and every open connection (hanging requests included). */
  close(): Promise<void>;
}

/** Starts a stub on 127.0.0.1 and an OS-chosen port. */
export async function startStubLlmServer(options: StubLlmServerOptions = {}): Promise<StubLlmServer> {
  const now = options.now ?? (() => performance.now());
  const chooseDefault = options.behaviour ?? ((): StubBehaviour => ({ kind: 'ok' }));
  let requests: StubRequestRecord[] = [];
  let scripted: StubBehaviour[] = [];
  let seq = 0;
  const pending = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const record: StubRequestRecord = {
      seq: seq++,
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0]!,
      arrivalMs: now(),
      endMs: undefined,
      behaviour: 'not-found',
      status: undefined,
      aborted: false,
      authorized: req.headers.authorization !== undefined || req.headers['x-api-key'] !== undefined,
      model: undefined,
      prompt: undefined,
    };
    requests.push(record);
    res.on('finish', () => {
      record.endMs ??= now();
    });
    res.on('close', () => {
      if (record.endMs === undefined) {
        record.endMs = now();
        record.aborted = true;
      }
    });
    void handle(req, res, record);
  });

  async function handle(req: IncomingMessage, res: ServerResponse, record: StubRequestRecord): Promise<void> {
    const body = await readBody(req);
    if (record.method === 'GET' && record.path === '/v1/models') {
      record.behaviour = 'models';
      send(res, record, 200, { object: 'list', data: [{ id: 'stub-model', object: 'model', owned_by: 'ucop-tests' }] });
      return;
    }
    if (record.method !== 'POST' || record.path !== '/v1/chat/completions') {
      send(res, record, 404, { error: { message: `no route ${record.method} ${record.path}`, type: 'not_found' } });
      return;
    }
    const parsed = parseChatRequest(body);
    record.model = parsed.model;
    record.prompt = parsed.prompt;
    const behaviour = scripted.shift() ?? chooseDefault({ seq: record.seq, prompt: parsed.prompt, model: parsed.model });
    record.behaviour = behaviour.kind;
    switch (behaviour.kind) {
      case 'ok':
      case 'slow': {
        const delayMs = behaviour.kind === 'slow' ? behaviour.ms : (behaviour.delayMs ?? 0);
        const text = behaviour.text ?? `stub answer ${record.seq}: ${(parsed.prompt ?? '').slice(0, 40)}`;
        later(delayMs, res, () => send(res, record, 200, completion(record.seq, parsed, text)));
        return;
      }
      case 'hang':
        return;
      case 'rate-limit': {
        const headers: Record<string, string> = behaviour.retryAfter === undefined ? {} : { 'retry-after': behaviour.retryAfter };
        send(res, record, 429, { error: { message: 'Rate limit reached, slow down', type: 'rate_limit_exceeded' } }, headers);
        return;
      }
      case 'error':
        if (behaviour.body !== undefined) sendRaw(res, record, behaviour.status, behaviour.body);
        else send(res, record, behaviour.status, { error: { message: `stub error ${behaviour.status}`, type: 'server_error' } });
        return;
      case 'malformed':
        sendRaw(res, record, 200, '{"id":"chatcmpl-broken","choices":[{"index":0,"message":');
        return;
    }
  }

  // A delayed answer whose timer is dropped if the client leaves first (so a closed server has no timers).
  function later(ms: number, res: ServerResponse, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      pending.delete(timer);
      if (!res.destroyed) fn();
    }, ms);
    pending.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      pending.delete(timer);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    completions: () => requests.filter((r) => r.path === '/v1/chat/completions'),
    script: (...behaviours) => {
      scripted.push(...behaviours);
    },
    reset: () => {
      requests = [];
      scripted = [];
      seq = 0;
    },
    close: async () => {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface ChatRequest {
  model: string | undefined;
  prompt: string | undefined;
  promptChars: number;
}

function parseChatRequest(body: string): ChatRequest {
  try {
    const json = JSON.parse(body) as { model?: unknown; messages?: { role?: unknown; content?: unknown }[] };
    const messages = Array.isArray(json.messages) ? json.messages : [];
    const text = (content: unknown): string =>
      typeof content === 'string' ? content : Array.isArray(content) ? content.map((p: { text?: unknown }) => (typeof p.text === 'string' ? p.text : '')).join('') : '';
    const user = messages.filter((m) => m.role === 'user').at(-1);
    return {
      model: typeof json.model === 'string' ? json.model : undefined,
      prompt: user ? text(user.content) : undefined,
      promptChars: messages.reduce((n, m) => n + text(m.content).length, 0),
    };
  } catch {
    return { model: undefined, prompt: undefined, promptChars: body.length };
  }
}

function completion(seq: number, request: ChatRequest, text: string): unknown {
  const promptTokens = Math.max(1, Math.ceil(request.promptChars / 4));
  const completionTokens = Math.max(1, Math.ceil(text.length / 4));
  return {
    id: `chatcmpl-stub-${seq}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: request.model ?? 'stub-model',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

function send(res: ServerResponse, record: StubRequestRecord, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendRaw(res, record, status, JSON.stringify(body), headers);
}

function sendRaw(res: ServerResponse, record: StubRequestRecord, status: number, body: string, headers: Record<string, string> = {}): void {
  record.status = status;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // A client that aborts mid-upload: answer nothing, the 'close' handler records the abort.
    req.on('error', () => resolve(''));
  });
}
