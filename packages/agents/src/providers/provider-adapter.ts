import type { LlmRequest } from '@ucop/core';

/** What one provider call returns before the router adds provider name, cost and bookkeeping. */
export interface ProviderCallResult {
  text: string;
  model: string;
  usage: { inputTokens: number; outputTokens: number };
  /** For a request with `outputSchema`: the parsed answer, or undefined when it was not JSON. */
  object?: unknown;
}

/**
 * One text-model backend (OpenAI, Anthropic, an OpenAI-compatible server, or the offline writer).
 * The provider router (providers/provider-router.ts) wraps adapters with rate limits, a circuit breaker and
 * fallbacks; an adapter itself only makes the call and maps errors to UcopError codes
 * (PROVIDER_HTTP with fields.status and retryable, PROVIDER_RATE_LIMITED with fields.retryAfterMs, ...).
 */
export interface ProviderAdapter {
  readonly name: string;
  readonly model: string;
  /** True for the offline writer: no network, no key. */
  readonly offline: boolean;
  call(request: LlmRequest, signal: AbortSignal): Promise<ProviderCallResult>;
}
