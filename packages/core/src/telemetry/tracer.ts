/**
 * Telemetry behind a small interface that costs nothing when it is off. The OpenTelemetry implementation
 * lives in telemetry/otel-tracer.ts; `noopTracer` is the default.
 */
export type SpanAttributes = Record<string, string | number | boolean | undefined>;

/** The outcome a span reports (OpenTelemetry's status codes other than `unset`). */
export type SpanStatus = 'ok' | 'error';

export interface SpanHandle {
  setAttributes(attributes: SpanAttributes): void;
  /** Records the error as an `exception` event and sets the span's status to `error` with its message. */
  recordError(error: unknown): void;
  /**
   * Sets the span's status without an exception event: for outcomes that are not one error (a run that
   * failed, timed out or was cancelled), and `ok` for a success.
   */
  setStatus(status: SpanStatus, message?: string): void;
  end(): void;
  /** Starts a child span (per step attempt, per provider call). */
  child(name: string, attributes?: SpanAttributes): SpanHandle;
}

export interface Tracer {
  startRun(name: string, attributes?: SpanAttributes): SpanHandle;
  /** Flushes exporters; resolves when spans are written. */
  shutdown(): Promise<void>;
}

const NOOP_SPAN: SpanHandle = {
  setAttributes() {},
  recordError() {},
  setStatus() {},
  end() {},
  child() {
    return NOOP_SPAN;
  },
};

export const noopSpan: SpanHandle = NOOP_SPAN;

export const noopTracer: Tracer = {
  startRun() {
    return NOOP_SPAN;
  },
  async shutdown() {},
};
