import type { FastifyInstance } from 'fastify';
import type { DaemonEvent } from '../events/run-event-hub.ts';
import { isFinalState } from '../queue/run-state.ts';
import type { RunState } from '../queue/run-state.ts';
import type { DaemonContext } from './daemon-context.ts';
import { findRun } from './run-routes.ts';
import { ERROR_SCHEMA } from './run-view.ts';

/** How often an idle stream sends a comment, so that proxies and clients see it alive. */
const HEARTBEAT_MS = 15_000;

/** One Server-Sent Event: the run events by their type (`step.started`, ...), the queue state as `state`. */
export function formatSse(event: DaemonEvent, id: number): string {
  const [name, data] = event.kind === 'run' ? [event.event.type, event.event] : ['state', { state: event.state }];
  return `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * `GET /v1/runs/:id/events`: the run's typed events live (the same events the CLI progress display gets),
 * from the start of the run when the daemon still has them, then `state` events; the stream ends when the
 * run reaches a final state or goes back to the queue because the daemon stops.
 */
export function registerEventRoutes(app: FastifyInstance, ctx: DaemonContext): void {
  app.get<{ Params: { id: string }; Querystring: { follow?: boolean } }>(
    '/v1/runs/:id/events',
    {
      schema: {
        summary: 'Stream a run\'s events (Server-Sent Events)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { follow: { type: 'boolean', default: true, description: 'false: the events the daemon has kept and the current state, then the stream ends' } },
        },
        response: { 200: { description: 'text/event-stream', type: 'string' }, 401: ERROR_SCHEMA, 404: ERROR_SCHEMA },
      },
    },
    async (request, reply) => {
      const run = findRun(ctx, request.params.id);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      let sent = 0;
      let lastState: RunState | undefined;
      let ended = false;
      let unsubscribe = (): void => undefined;
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const end = (): void => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        unsubscribe();
        ctx.signal.removeEventListener('abort', end);
        raw.end();
      };
      const send = (event: DaemonEvent): void => {
        if (ended) return;
        if (event.kind === 'state') lastState = event.state;
        raw.write(formatSse(event, ++sent));
        if (event.kind === 'state' && (isFinalState(event.state) || (event.state === 'queued' && sent > 1))) queueMicrotask(end);
      };
      request.raw.once('close', end);
      ctx.signal.addEventListener('abort', end, { once: true });
      if (!ctx.events.has(run.id) && isFinalState(run.state)) {
        // Finished before this daemon's memory of it: the record has the rest (GET /v1/runs/:id).
        send({ kind: 'state', state: run.state });
        return;
      }
      unsubscribe = ctx.events.subscribe(run.id, send);
      // A run that is still waiting says so first; one that finished between the lookup and now ends the stream.
      const now = ctx.queue.get(run.id);
      if (sent === 0 && now) send({ kind: 'state', state: now.state });
      if (request.query.follow === false && !ended) {
        if (now && lastState !== now.state) send({ kind: 'state', state: now.state });
        end();
      }
    },
  );
}
