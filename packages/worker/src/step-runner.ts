import { createHash, randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { LocalExecutor, UcopError, createArtifactWriter, noopSpan } from '@ucop/core';
import type { AgentLookup, ArtifactWriter, LlmClient, Logger, StateReader } from '@ucop/core';
import type { StepJobData, WireArtifact, WireResult } from './step-job.ts';
import { errorToWire } from './wire-error.ts';

export interface StepRunnerDeps {
  agents: AgentLookup;
  llm?: LlmClient;
  logger?: Logger;
}

export type RunnerResult = WireResult extends infer R ? (R extends unknown ? Omit<R, 'worker' | 'token'> : never) : never;

/**
 * Runs one step job on this worker exactly as `ucop run` runs it in process (the same LocalExecutor: input
 * and output schemas, staged state, the LLM client, the attempt's abort signal), against the state snapshot
 * the job carries. Artifacts go to a private scratch directory and come back as bytes; the coordinator writes
 * them under the run directory, so a worker never writes into it.
 */
export async function runStepJob(data: StepJobData, signal: AbortSignal, deps: StepRunnerDeps): Promise<RunnerResult> {
  // Created by the first write only: most steps write no artifact and cost no directory.
  const scratch = join(tmpdir(), `ucop-worker-${randomUUID()}`);
  const writer = mirroredWriter(scratch, data.artifactRoot);
  try {
    const state = data.state;
    const reader: StateReader = { snapshot: () => state, get: (key) => state[key] };
    const executor = new LocalExecutor({ agents: deps.agents, state: reader, artifacts: writer, ...(deps.llm ? { llm: deps.llm } : {}), ...(deps.logger ? { logger: deps.logger } : {}) });
    const result = await executor.execute(data.task, { signal, span: noopSpan, readState: () => state });
    if (!result.ok) return { ok: false, error: errorToWire(result.error) };
    const artifacts: WireArtifact[] = [];
    for (const record of result.artifacts ?? []) {
      const content = await readFile(join(scratch, record.path));
      artifacts.push({ path: record.path, sha256: createHash('sha256').update(content).digest('hex'), content: content.toString('base64') });
    }
    return { ok: true, output: result.output, writes: result.writes, ...(result.usage ? { usage: result.usage } : {}), ...(artifacts.length > 0 ? { artifacts } : {}) };
  } finally {
    if (writer.used) await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Writes into `scratch`, but shows the agent the run directory as its root: the absolute paths it gets back
 * (and may put in its output) are those of the files the coordinator writes, so outputs are the same as in
 * a local run. Path checks (no escape from the root) are the run writer's own.
 */
function mirroredWriter(scratch: string, root: string | undefined): ArtifactWriter & { readonly used: boolean } {
  const local = createArtifactWriter(scratch);
  const shown = (path: string): string => (root === undefined ? path : join(root, relative(local.root, path)));
  let used = false;
  return {
    root: root ?? local.root,
    get used() {
      return used;
    },
    resolve: (relativePath) => shown(local.resolve(relativePath)),
    write: async (relativePath, content, signal) => {
      used = true;
      return shown(await local.write(relativePath, content, signal));
    },
  };
}

/**
 * The result as it will be stored, or a WORKER_RESULT_TOO_LARGE failure in its place when it passes the
 * bound (output, writes and artifacts together): Redis holds it until the coordinator takes it.
 */
export function encodeResult(result: WireResult, maxBytes: number): string {
  const payload = JSON.stringify(result);
  const bytes = Buffer.byteLength(payload);
  if (bytes <= maxBytes) return payload;
  const error = new UcopError('WORKER_RESULT_TOO_LARGE', `the step's result is ${bytes} bytes (output, state writes and artifacts together), over the worker's limit of ${maxBytes}; write less, or raise --max-result-bytes on the workers`, { fields: { bytes, maxBytes } });
  return JSON.stringify({ ok: false, error: errorToWire(error), worker: result.worker, token: result.token } satisfies WireResult);
}
