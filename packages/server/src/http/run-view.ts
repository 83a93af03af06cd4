import type { QueuedRun } from '../queue/run-queue.ts';

/** A run as the API shows it (times as ISO 8601). */
export interface RunView {
  id: string;
  workflow: string;
  state: string;
  priority: number;
  idempotencyKey: string | null;
  inputs: Record<string, unknown>;
  claims: number;
  crashes: number;
  submittedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export function runView(run: QueuedRun): RunView {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: run.id,
    workflow: run.workflow,
    state: run.state,
    priority: run.priority,
    idempotencyKey: run.idempotencyKey,
    inputs: run.inputs,
    claims: run.claims,
    crashes: run.crashes,
    submittedAt: iso(run.submittedAt)!,
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    error: run.error,
  };
}

/** The JSON Schema of {@link RunView}, for validation and serialisation of replies. */
export const RUN_VIEW_SCHEMA = {
  type: 'object',
  required: ['id', 'workflow', 'state', 'priority', 'inputs', 'submittedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    workflow: { type: 'string' },
    state: { type: 'string', enum: ['submitted', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out', 'dead_letter'] },
    priority: { type: 'integer' },
    idempotencyKey: { type: ['string', 'null'] },
    inputs: { type: 'object', additionalProperties: true },
    claims: { type: 'integer' },
    crashes: { type: 'integer' },
    submittedAt: { type: 'string', format: 'date-time' },
    startedAt: { type: ['string', 'null'], format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
    error: { type: ['string', 'null'] },
  },
} as const;

export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, diagnostics: { type: 'array', items: { type: 'string' } } },
    },
  },
} as const;
