/**
 * The text-model seam. Agents call `ctx.llm.generate`; the provider layer in @ucop/agents implements it with
 * rate limits, circuit breakers and fallbacks, and the offline provider answers without any network.
 */
import type { SpanHandle } from '../telemetry/tracer.ts';
import type { LlmStage } from './stage-policy.ts';

/** A document an offline writer may draw from, and that online prompts may cite. */
export interface ContextDocument {
  id: string;
  title?: string;
  text: string;
  source?: string;
}

export interface LlmRequest {
  /** The rendered prompt. */
  prompt: string;
  system?: string;
  /** What the text is for, e.g. a section heading; the offline writer arranges its answer under it. */
  purpose?: string;
  maxTokens?: number;
  temperature?: number;
  /** Source documents relevant to the request. */
  context?: readonly ContextDocument[];
  /** Provider preference for this call (the step's `provider:`), and the fallbacks to try in order. */
  provider?: string;
  fallback?: readonly string[];
  /** Model id for this call instead of the provider's configured one (the step's `model:`). */
  model?: string;
  /** Stop sequences (text answers only). */
  stop?: readonly string[];
  /**
   * A JSON Schema the answer must be an instance of: the provider is asked for structured output and
   * `LlmResponse.object` holds the parsed answer (undefined when it was not JSON). Validation is the caller's.
   */
  outputSchema?: Record<string, unknown>;
  /** The step the call comes from and its per-stage policy (set by the executor). */
  stage?: LlmStage;
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** A provider that failed a call and passed it to the next one in the fallback list. */
export interface LlmFallback {
  /** The provider that failed. */
  provider: string;
  /** Its error code, e.g. PROVIDER_UNAVAILABLE (unreachable, timeout), PROVIDER_HTTP (401: bad key). */
  code: string;
  /** The provider the call went to next. */
  to: string;
}

export interface LlmResponse {
  text: string;
  /** The provider that answered (after any fallback). */
  provider: string;
  /** The providers that failed this call before `provider` answered, in order; absent when none did. */
  fallbacks?: readonly LlmFallback[];
  model: string;
  usage: LlmUsage;
  /** True when the offline provider wrote it. */
  offline: boolean;
  /** ms this call spent waiting on rate limits (permits, Retry-After delays); absent when it did not wait. */
  rateLimitWaitMs?: number;
  /** The parsed answer of a request with `outputSchema`; undefined when the answer was not JSON. */
  object?: unknown;
}

/** Per-call options of {@link LlmClient.generate} that are not part of the request itself. */
export interface LlmCallOptions {
  /**
   * The span to open the provider call's `llm.call` spans under (the engine passes the step attempt's span).
   * @default the client's own parent span, if any
   */
  span?: SpanHandle;
}

export interface LlmClient {
  generate(request: LlmRequest, signal: AbortSignal, options?: LlmCallOptions): Promise<LlmResponse>;
}
