import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UcopError } from '@ucop/core';
import type { FastifyInstance } from 'fastify';
import { runDirectory } from '../pool/run-pool.ts';
import type { QueuedRun } from '../queue/run-queue.ts';
import { RUN_STATES, isFinalState } from '../queue/run-state.ts';
import type { RunState } from '../queue/run-state.ts';
import type { DaemonContext } from './daemon-context.ts';
import { ERROR_SCHEMA, RUN_VIEW_SCHEMA, runView } from './run-view.ts';

interface SubmitBody {
  workflow: string;
  inputs?: Record<string, unknown>;
  input?: string[];
  priority?: number;
  idempotencyKey?: string;
}

const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const RUN_REPLY = { type: 'object', required: ['run'], properties: { run: RUN_VIEW_SCHEMA } } as const;
const ERRORS = { 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA, 422: ERROR_SCHEMA } as const;
/** A submission the executor cannot take now (REDIS_UNAVAILABLE): refused at once, nothing queued. */
const SUBMIT_ERRORS = { ...ERRORS, 503: ERROR_SCHEMA } as const;

/** The run the request names, or RUN_NOT_FOUND. */
export function findRun(ctx: DaemonContext, id: string): QueuedRun {
  const run = ctx.queue.get(id);
  if (!run) throw new UcopError('RUN_NOT_FOUND', `no run ${id} (never submitted, deleted, or past retention)`, { fields: { runId: id } });
  return run;
}

/** Submit, list, show, cancel and delete runs. */
export function registerRunRoutes(app: FastifyInstance, ctx: DaemonContext): void {
  app.post<{ Body: SubmitBody; Headers: { 'idempotency-key'?: string } }>(
    '/v1/runs',
    {
      schema: {
        summary: 'Submit a run of a workflow from the daemon\'s workflows directory',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['workflow'],
          properties: {
            workflow: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$', description: 'the workflow\'s name (its file name without .yaml)' },
            inputs: { type: 'object', additionalProperties: true, description: 'typed input values' },
            input: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 1_000_000 }, description: 'key=value assignments, parsed by each input\'s declared type (as ucop run -i)' },
            priority: { type: 'integer', minimum: -1000, maximum: 1000, default: 0 },
            idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } } },
        response: { 200: RUN_REPLY, 201: RUN_REPLY, ...SUBMIT_ERRORS },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const key = body.idempotencyKey ?? request.headers['idempotency-key'];
      if (key !== undefined) {
        // A key already known answers with its run at once, whatever its state (also after it finished, and
        // when its workflow would no longer compile); the same key for another workflow is a client's mistake.
        const known = ctx.queue.findByIdempotencyKey(key);
        if (known && known.workflow !== body.workflow) {
          throw new UcopError('RUN_STATE_CONFLICT', `idempotency key "${key}" was used for run ${known.id} of workflow ${known.workflow}`, { fields: { runId: known.id } });
        }
        if (known) return reply.code(200).send({ run: runView(known) });
      }
      // Before anything is queued: while the executor's Redis is down, the client is told at once (503).
      await ctx.executor.admit?.(ctx.signal);
      const inputs = await ctx.catalog.prepare(body.workflow, { values: body.inputs ?? {}, assignments: body.input ?? [] }, ctx.signal);
      const { run, created } = ctx.queue.submit({ workflow: body.workflow, inputs, priority: body.priority ?? 0, ...(key !== undefined ? { idempotencyKey: key } : {}) });
      if (!created) return reply.code(200).send({ run: runView(run) });
      const queued = ctx.queue.transition(run.id, 'queued') ?? run;
      ctx.pool.fill();
      return reply.code(201).send({ run: runView(ctx.queue.get(run.id) ?? queued) });
    },
  );

  app.get<{ Querystring: { state?: RunState; workflow?: string; limit?: number; before?: number } }>(
    '/v1/runs',
    {
      schema: {
        summary: 'List runs, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            state: { type: 'string', enum: [...RUN_STATES] },
            workflow: { type: 'string', maxLength: 128 },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            before: { type: 'integer', minimum: 1, description: 'only runs submitted before the run with this seq (paging)' },
          },
        },
        response: { 200: { type: 'object', properties: { runs: { type: 'array', items: RUN_VIEW_SCHEMA } } }, ...ERRORS },
      },
    },
    async (request) => ({ runs: ctx.queue.list(request.query).map(runView) }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/runs/:id',
    {
      schema: {
        summary: 'A run: its queue state and its run record (run.json, as ucop run writes it)',
        params: ID_PARAMS,
        response: { 200: { type: 'object', properties: { run: RUN_VIEW_SCHEMA, record: { type: ['object', 'null'], additionalProperties: true } } }, ...ERRORS },
      },
    },
    async (request) => {
      const run = findRun(ctx, request.params.id);
      const recordPath = join(runDirectory(ctx.runsDir, run.id), 'run.json');
      let record: unknown = null;
      if (existsSync(recordPath)) {
        try {
          record = JSON.parse(await readFile(recordPath, 'utf8'));
        } catch {
          record = null; // being rewritten at this moment: the next read has it
        }
      }
      return { run: runView(run), record };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/runs/:id/cancel',
    { schema: { summary: 'Cancel a queued or running run', params: ID_PARAMS, response: { 202: RUN_REPLY, ...ERRORS } } },
    async (request, reply) => {
      const run = findRun(ctx, request.params.id);
      if (isFinalState(run.state)) throw new UcopError('RUN_STATE_CONFLICT', `run ${run.id} is already ${run.state}`, { fields: { runId: run.id } });
      if (!ctx.pool.cancel(run.id)) {
        const cancelled = ctx.queue.transition(run.id, 'cancelled', { error: 'cancelled through the API before it started' });
        if (cancelled) {
          ctx.events.publish(run.id, { kind: 'state', state: 'cancelled' });
          ctx.events.ended(run.id);
        }
      }
      return reply.code(202).send({ run: runView(findRun(ctx, run.id)) });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/runs/:id',
    { schema: { summary: 'Delete a finished run and its directory', params: ID_PARAMS, response: { 204: { type: 'null' }, ...ERRORS } } },
    async (request, reply) => {
      const run = findRun(ctx, request.params.id);
      if (!isFinalState(run.state)) throw new UcopError('RUN_STATE_CONFLICT', `run ${run.id} is ${run.state}: cancel it first`, { fields: { runId: run.id } });
      ctx.queue.delete(run.id);
      ctx.events.forget(run.id);
      await ctx.removeRunFiles(run.id);
      return reply.code(204).send();
    },
  );
}
