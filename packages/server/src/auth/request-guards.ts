import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The error body of every refusal. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/**
 * The `Host` names the daemon answers to: loopback names on its port, the address it is bound to, and any
 * extra name configured (`--allow-host`, for a daemon behind a proxy). Refusing other names stops DNS
 * rebinding: a web page whose name resolves to 127.0.0.1 still sends its own name.
 */
export function allowedHosts(bindHost: string, port: number, extra: readonly string[]): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]', bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost, ...extra]);
  const hosts = new Set<string>();
  for (const name of names) {
    const lower = name.toLowerCase();
    // A configured name with its own port is taken as it is.
    if (/:\d+$/.test(lower) && !lower.endsWith(']')) hosts.add(lower);
    else hosts.add(`${lower}:${port}`);
  }
  return hosts;
}

/** onRequest hook: a foreign Host or Origin gets 403 before anything else is looked at. */
export function hostAndOriginGuard(hosts: () => ReadonlySet<string>) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const host = request.headers.host?.toLowerCase();
    if (host === undefined || !hosts().has(host)) {
      await reply.code(403).send(errorBody('SERVER_FORBIDDEN', 'this Host is not one the daemon answers to (see --allow-host)'));
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      let originHost: string | undefined;
      try {
        const url = new URL(origin);
        originHost = url.protocol === 'http:' || url.protocol === 'https:' ? url.host.toLowerCase() : undefined;
        if (originHost !== undefined && url.port === '') originHost = `${originHost}:${url.protocol === 'https:' ? 443 : 80}`;
      } catch {
        originHost = undefined;
      }
      if (originHost === undefined || !hosts().has(originHost)) {
        await reply.code(403).send(errorBody('SERVER_FORBIDDEN', 'requests from another origin are refused'));
      }
    }
  };
}

/** onRequest hook: every route but `GET /health` needs `Authorization: Bearer <token>` (compared in constant time). */
export function bearerTokenGuard(token: string) {
  const expected = createHash('sha256').update(token).digest();
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.method === 'GET' && request.routeOptions.url === '/health') return;
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    const given = match ? createHash('sha256').update(match[1]!).digest() : undefined;
    if (given === undefined || !timingSafeEqual(given, expected)) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send(errorBody('SERVER_UNAUTHORIZED', header === undefined ? 'a bearer token is required (UCOP_TOKEN or the token file in the data directory)' : 'the token is not the daemon\'s'));
    }
  };
}
