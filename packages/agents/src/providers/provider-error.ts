import {
  APICallError,
  EmptyResponseBodyError,
  InvalidResponseDataError,
  JSONParseError,
  LoadAPIKeyError,
  NoContentGeneratedError,
  NoOutputGeneratedError,
  RetryError,
  TypeValidationError,
} from 'ai';
import { UcopError, isUcopError } from '@ucop/core';
import { retryAfterMs } from './retry-after.ts';

/** What the mapping needs to know besides the error. */
export interface ProviderErrorContext {
  provider: string;
  /** Values that must never appear in a message (the API key). */
  secrets?: readonly string[];
  /** Wall-clock now, for Retry-After dates. @default Date.now() */
  nowMs?: number;
}

// Statuses worth another attempt: timeout, conflict, rate limit and server errors. Any other 4xx means the
// request itself is wrong (bad parameters, bad key, unknown model) and would fail again the same way.
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

const MAX_DETAIL = 300;

/**
 * Maps anything an AI SDK call throws to a UcopError with a stable code. Classification uses the SDK's error
 * classes (by their markers, which survive duplicate copies of the SDK) and HTTP statuses, never messages.
 *
 * - HTTP status → PROVIDER_HTTP with `fields.status`; 408/409/5xx retryable, other 4xx not
 * - 429 → PROVIDER_RATE_LIMITED, retryable, with `fields.retryAfterMs` from Retry-After when present
 * - a 2xx body that is not valid JSON or not the expected shape, or no text → PROVIDER_BAD_RESPONSE, retryable
 * - no response at all (connection refused, reset, DNS) → PROVIDER_UNAVAILABLE, retryable
 *
 * The `cause` is not kept for HTTP errors: a provider's response body can echo request details, and the
 * error travels to logs and run records. Secrets are removed from every message.
 */
export function toProviderError(error: unknown, context: ProviderErrorContext): UcopError {
  if (isUcopError(error)) return error;
  const { provider } = context;
  const clean = (text: string): string => redact(text, context.secrets ?? []).slice(0, MAX_DETAIL);
  if (RetryError.isInstance(error)) return toProviderError(error.lastError, context);

  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const where = safeUrl(error.url);
    if (status === undefined) {
      return new UcopError('PROVIDER_UNAVAILABLE', `${provider}: cannot reach ${where}: ${clean(error.message)}; check base_url and that the server is running`, {
        fields: { provider, url: where },
        retryable: true,
      });
    }
    if (status >= 200 && status < 300) return badResponse(provider, clean(error.message), { url: where, status });
    if (status === 429) {
      const waitMs = retryAfterMs(error.responseHeaders, context.nowMs ?? Date.now());
      return new UcopError('PROVIDER_RATE_LIMITED', `${provider}: rate limited (HTTP 429)${waitMs === undefined ? '' : `, retry after ${waitMs} ms`}`, {
        fields: { provider, status, ...(waitMs === undefined ? {} : { retryAfterMs: waitMs }) },
        retryable: true,
      });
    }
    return new UcopError('PROVIDER_HTTP', `${provider}: HTTP ${status} from ${where}: ${clean(error.message)}`, {
      fields: { provider, status, url: where },
      retryable: isRetryableStatus(status),
    });
  }

  if (
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    InvalidResponseDataError.isInstance(error) ||
    EmptyResponseBodyError.isInstance(error) ||
    NoContentGeneratedError.isInstance(error) ||
    NoOutputGeneratedError.isInstance(error)
  ) {
    return badResponse(provider, clean(error.message), {});
  }
  if (LoadAPIKeyError.isInstance(error)) {
    return new UcopError('CONFIG_INVALID', `${provider}: no API key: ${clean(error.message)}`, { fields: { provider } });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new UcopError('PROVIDER_UNAVAILABLE', `${provider}: the call failed: ${clean(message)}`, {
    fields: { provider },
    retryable: false,
    cause: error,
  });
}

function badResponse(provider: string, detail: string, fields: Record<string, unknown>): UcopError {
  return new UcopError('PROVIDER_BAD_RESPONSE', `${provider}: the answer could not be read: ${detail}`, { fields: { provider, ...fields }, retryable: true });
}

// A URL without credentials or query string (keys sometimes travel as `?key=`).
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparseable url)';
  }
}

/** Replaces every occurrence of each secret (of 4 characters or more) with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}
