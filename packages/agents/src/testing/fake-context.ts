import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { createArtifactWriter, noopSpan, UcopError } from '@ucop/core';
import type { AgentContext, AgentRunInfo, LlmClient, LlmRequest, Logger, LogLevel, StateWrite } from '@ucop/core';
import { createOfflineAdapter } from '../offline/offline-adapter.ts';
import type { ProviderAdapter } from '../providers/provider-adapter.ts';

export interface FakeContextOptions {
  /** Committed state the agent reads. @default {} */
  state?: Record<string, unknown>;
  /** Keys the step may write (its `writes:`). @default ['sources', 'flags', 'title'] */
  writable?: readonly string[];
  /** The LLM client. @default the offline adapter, wrapped */
  llm?: LlmClient;
  /** Output directory of the artifact writer. @default a new temporary directory */
  outDir?: string;
  signal?: AbortSignal;
  run?: Partial<AgentRunInfo>;
}

export interface LogEntry {
  level: LogLevel;
  message: string;
  fields?: Record<string, unknown>;
}

/** A context for agent tests, and what the agent did with it. */
export interface FakeContext {
  ctx: AgentContext;
  /** State writes the agent staged, in order. */
  writes: StateWrite[];
  logs: LogEntry[];
  /** Requests the agent made through `ctx.llm`. */
  llmRequests: LlmRequest[];
  outDir: string;
  /** Removes the output directory when this helper created it. */
  dispose(): Promise<void>;
}

/** An LlmClient that calls one adapter directly (no router): what tests need. */
export function adapterClient(adapter: ProviderAdapter, requests: LlmRequest[] = []): LlmClient {
  return {
    async generate(request, signal) {
      requests.push(request);
      const result = await adapter.call(request, signal);
      return { text: result.text, provider: adapter.name, model: result.model, usage: { ...result.usage, costUsd: 0 }, offline: adapter.offline, ...('object' in result ? { object: result.object } : {}) };
    },
  };
}

/** Builds an AgentContext for tests: staged writes are recorded (and checked against `writable`), never committed. */
export async function createFakeContext(options: FakeContextOptions = {}): Promise<FakeContext> {
  const created = options.outDir === undefined;
  const outDir = options.outDir ?? (await mkdtemp(resolve(tmpdir(), 'ucop-agent-test-')));
  const writable = new Set(options.writable ?? ['sources', 'flags', 'title']);
  const state = options.state ?? {};
  const writes: StateWrite[] = [];
  const logs: LogEntry[] = [];
  const llmRequests: LlmRequest[] = [];
  const log = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    logs.push(fields === undefined ? { level, message } : { level, message, fields });
  };
  const logger: Logger = { log: (level, message, fields) => log(level)(message, fields), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const ctx: AgentContext = {
    signal: options.signal ?? new AbortController().signal,
    logger,
    state: {
      get: (key) => state[key],
      snapshot: () => state,
      write(key, value) {
        if (!writable.has(key)) throw new UcopError('STATE_WRITE_REJECTED', `state key "${key}" is not in this step's writes`, { fields: { key } });
        writes.push({ key, value: structuredClone(value) });
      },
    },
    llm: options.llm ?? adapterClient(createOfflineAdapter(), llmRequests),
    // The engine's own writer, so that agents meet the same path rules (ARTIFACT_PATH_ESCAPE) as in a run.
    artifacts: createArtifactWriter(outDir),
    span: noopSpan,
    run: { runId: 'run-test', workflow: 'test', stepId: 'step', attempt: 1, ...options.run },
  };
  return { ctx, writes, logs, llmRequests, outDir, dispose: () => (created ? rm(outDir, { recursive: true, force: true }) : Promise.resolve()) };
}
