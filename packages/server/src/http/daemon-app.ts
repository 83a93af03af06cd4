import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { UcopError } from '@ucop/core';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { bearerTokenGuard, errorBody, hostAndOriginGuard } from '../auth/request-guards.ts';
import type { DaemonContext } from './daemon-context.ts';
import { errorReply } from './error-reply.ts';
import { registerEventRoutes } from './event-routes.ts';
import { registerFileRoutes } from './file-routes.ts';
import { registerRunRoutes } from './run-routes.ts';
import { registerSystemRoutes } from './system-routes.ts';

export interface DaemonAppOptions {
  token: string;
  /** The `host:port` values a request's Host (and Origin) may name; read per request (the port is known after listen). */
  allowedHosts: () => ReadonlySet<string>;
  /** Largest request body in bytes. @default 1 MiB */
  bodyLimit?: number;
  /** Requests per client (address) per window. @default 600 per 60 s */
  rateLimit?: { max: number; windowMs: number };
  /** The daemon's log (masked lines). */
  log: (line: string) => void;
  version: string;
}

/**
 * The daemon's HTTP API on fastify. Every request goes through, in order: the per-client rate limit, the
 * Host/Origin check, the bearer token (all routes but `GET /health`), then the route's JSON Schema
 * validation; the body limit is fastify's. The OpenAPI description is generated from the routes' schemas.
 */
export async function buildDaemonApp(ctx: DaemonContext, options: DaemonAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: false,
    // Fails a request that names no route at all the same way as other refusals.
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  app.setErrorHandler(errorReply(options.log));
  const limit = options.rateLimit ?? { max: 600, windowMs: 60_000 };
  await app.register(rateLimit, {
    global: false,
    max: limit.max,
    timeWindow: limit.windowMs,
    errorResponseBuilder: (_request, context) => new UcopError('SERVER_RATE_LIMITED', `too many requests: at most ${context.max} per ${Math.round(limit.windowMs / 1000)} s per client; retry after ${context.after}`),
  });
  // Hooks run in the order they are added: the rate limit first (refusals count too), then Host/Origin, then the token.
  app.addHook('onRequest', app.rateLimit());
  app.addHook('onRequest', hostAndOriginGuard(options.allowedHosts));
  app.addHook('onRequest', bearerTokenGuard(options.token));
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', reply.getHeader('cache-control') ?? 'no-store');
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'ucop daemon', version: options.version, description: 'Submit and follow ucop workflow runs. Every route but GET /health needs `Authorization: Bearer <token>`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  registerSystemRoutes(app, ctx);
  registerRunRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerFileRoutes(app, ctx);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.setNotFoundHandler(async (_request, reply) => reply.code(404).send(errorBody('USAGE', 'no such route (see GET /openapi.json)')));
  await app.ready();
  return app;
}
