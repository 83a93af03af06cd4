import { ERROR_CODES, formatDiagnostic, isUcopError, redactString } from '@ucop/core';
import type { Diagnostic, ErrorCode } from '@ucop/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  SERVER_UNAUTHORIZED: 401,
  SERVER_FORBIDDEN: 403,
  RUN_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  RUN_STATE_CONFLICT: 409,
  RUN_LOCKED: 409,
  FILE_TOO_LARGE: 413,
  SERVER_BODY_TOO_LARGE: 413,
  SERVER_RATE_LIMITED: 429,
  REDIS_UNAVAILABLE: 503,
};

/** What a client is told to wait before trying again after a 503 (Redis down), in seconds. */
const RETRY_AFTER_SECONDS = 5;

/** The HTTP status of a ucop error: by code, else by its category (usage 400, invalid 422, others 500). */
export function statusOf(code: ErrorCode): number {
  const byCode = STATUS_BY_CODE[code];
  if (byCode !== undefined) return byCode;
  const category = ERROR_CODES[code];
  return category === 'usage' ? 400 : category === 'invalid' ? 422 : 500;
}

/**
 * The daemon's error handler: `{ error: { code, message, diagnostics? } }` with a status that says who is at
 * fault; messages are masked (no secret in any response), and internal errors say nothing about the server.
 */
export function errorReply(log: (line: string) => void) {
  return async (error: FastifyError, request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (isUcopError(error)) {
      const diagnostics = Array.isArray(error.fields['diagnostics']) ? (error.fields['diagnostics'] as Diagnostic[]).map((d) => redactString(formatDiagnostic(d))) : undefined;
      const status = statusOf(error.code);
      if (status === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      await reply.code(status).send({ error: { code: error.code, message: redactString(error.message), ...(diagnostics ? { diagnostics } : {}) } });
      return;
    }
    if (error.validation) {
      await reply.code(400).send({ error: { code: 'USAGE', message: redactString(error.message) } });
      return;
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      log(`internal error on ${request.method} ${request.routeOptions.url ?? '?'}: ${redactString(error.stack ?? error.message)}`);
      await reply.code(500).send({ error: { code: 'SERVER_ERROR', message: 'internal error (see the daemon log)' } });
      return;
    }
    // fastify's own refusals (FST_ERR_*) are given a ucop code: a client never has to know fastify's.
    await reply.code(status).send({ error: { code: status === 413 ? 'SERVER_BODY_TOO_LARGE' : status === 429 ? 'SERVER_RATE_LIMITED' : 'USAGE', message: redactString(error.message) } });
  };
}
