import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { DaemonContext } from './daemon-context.ts';
import { ERROR_SCHEMA } from './run-view.ts';

/** How long readiness waits for what the executor depends on. */
const READY_TIMEOUT_MS = 3000;

/** Health, readiness, metrics and the workflows the daemon offers. */
export function registerSystemRoutes(app: FastifyInstance, ctx: DaemonContext): void {
  app.get('/health', { schema: { summary: 'Liveness (no token needed)', security: [], response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: the queue and the runs directory writable; providers and Redis reachable where configured',
        response: {
          200: { type: 'object', properties: { ready: { type: 'boolean' }, checks: { type: 'object', additionalProperties: { type: 'boolean' } } } },
          503: { type: 'object', properties: { ready: { type: 'boolean' }, checks: { type: 'object', additionalProperties: { type: 'boolean' } } } },
          401: ERROR_SCHEMA,
        },
      },
    },
    async (_request, reply) => {
      const checks: Record<string, boolean> = { queue: ctx.queue.writable() };
      try {
        await access(ctx.runsDir, constants.W_OK);
        checks['runs_dir'] = true;
      } catch {
        checks['runs_dir'] = false;
      }
      if (ctx.executor.ready) {
        try {
          Object.assign(checks, await ctx.executor.ready(AbortSignal.any([ctx.signal, AbortSignal.timeout(READY_TIMEOUT_MS)])));
        } catch {
          checks['executor'] = false;
        }
      }
      const ready = Object.values(checks).every(Boolean);
      return reply.code(ready ? 200 : 503).send({ ready, checks });
    },
  );

  app.get('/metrics', { schema: { summary: 'Prometheus metrics (text format)', response: { 200: { type: 'string' }, 401: ERROR_SCHEMA } } }, async (_request, reply) => {
    const text = await ctx.metrics.text();
    return reply.header('content-type', ctx.metrics.contentType).send(text);
  });

  app.get(
    '/v1/workflows',
    {
      schema: {
        summary: 'The workflows a run can be submitted for',
        response: {
          200: {
            type: 'object',
            properties: {
              workflows: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    name: { type: 'string' },
                    description: { type: 'string' },
                    inputs: { type: 'object', additionalProperties: { type: 'object', properties: { type: { type: 'string' }, required: { type: 'boolean' }, description: { type: 'string' } } } },
                  },
                },
              },
            },
          },
          401: ERROR_SCHEMA,
        },
      },
    },
    async () => ({ workflows: await ctx.catalog.list(ctx.signal) }),
  );
}
