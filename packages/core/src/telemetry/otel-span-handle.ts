import type * as OtelApi from '@opentelemetry/api';
import type { SpanAttributes, SpanHandle, SpanStatus } from './tracer.ts';
import { isSecretKey, redactSecrets, redactString, REDACTED } from './redact.ts';

/** Attributes as OpenTelemetry takes them: no undefined values, secrets masked. */
export function cleanAttributes(attributes: SpanAttributes | undefined): OtelApi.Attributes {
  const out: OtelApi.Attributes = {};
  if (!attributes) return out;
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    out[key] = isSecretKey(key) ? REDACTED : typeof value === 'string' ? redactString(value) : value;
  }
  return out;
}

/**
 * A SpanHandle over an OpenTelemetry span. Children are started with the span set in their parent context
 * (`trace.setSpan`), so they are real children whatever context is active. `end` is idempotent.
 */
export class OtelSpanHandle implements SpanHandle {
  readonly #api: typeof OtelApi;
  readonly #tracer: OtelApi.Tracer;
  readonly #span: OtelApi.Span;
  readonly #onEnd: ((span: OtelApi.Span) => void) | undefined;
  #ended = false;

  /** @param onEnd called once after the span ended (feeds the trace file when the SDK owns the processors) */
  constructor(api: typeof OtelApi, tracer: OtelApi.Tracer, span: OtelApi.Span, onEnd?: (span: OtelApi.Span) => void) {
    this.#api = api;
    this.#tracer = tracer;
    this.#span = span;
    this.#onEnd = onEnd;
  }

  /** The underlying span, for code that talks to OpenTelemetry directly. */
  get span(): OtelApi.Span {
    return this.#span;
  }

  setAttributes(attributes: SpanAttributes): void {
    this.#span.setAttributes(cleanAttributes(attributes));
  }

  recordError(error: unknown): void {
    const flat = redactSecrets(error instanceof Error ? error : new Error(String(error))) as unknown as { name: string; message: string; code?: unknown };
    const code = typeof flat.code === 'string' || typeof flat.code === 'number' ? flat.code : undefined;
    this.#span.recordException({ name: flat.name, message: flat.message, ...(code === undefined ? {} : { code }) });
    this.#span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: flat.message });
    if (code !== undefined) this.#span.setAttribute('error.code', code);
  }

  setStatus(status: SpanStatus, message?: string): void {
    const code = status === 'ok' ? this.#api.SpanStatusCode.OK : this.#api.SpanStatusCode.ERROR;
    this.#span.setStatus({ code, ...(message === undefined ? {} : { message: redactString(message) }) });
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#span.end();
    this.#onEnd?.(this.#span);
  }

  child(name: string, attributes?: SpanAttributes): SpanHandle {
    const parent = this.#api.trace.setSpan(this.#api.context.active(), this.#span);
    const span = this.#tracer.startSpan(name, { attributes: cleanAttributes(attributes) }, parent);
    return new OtelSpanHandle(this.#api, this.#tracer, span, this.#onEnd);
  }
}
