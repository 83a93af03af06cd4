/**
 * Telemetry behind a small interface that costs nothing when it is off. The OpenTelemetry implementation
 * lives in telemetry/otel-tracer.ts; `noopTracer` is the default.
 */
export type SpanAttributes = Record<string, string | number | boolean | undefined>;

export interface SpanHandle {
  setAttributes(attributes: SpanAttributes): void;
  recordError(error: unknown): void;
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
