import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** One finished span as `--trace` writes it to `trace.json`. Times are epoch milliseconds. */
export interface SpanRecord {
  name: string;
  traceId: string;
  spanId: string;
  /** Absent for a root span (the run). */
  parentSpanId?: string;
  startMs: number;
  endMs: number;
  durationMs: number;
  attributes: Record<string, unknown>;
  status: { code: 'unset' | 'ok' | 'error'; message?: string };
  events: { name: string; timeMs: number; attributes?: Record<string, unknown> }[];
}

/** The content of a trace file. */
export interface TraceFile {
  serviceName: string;
  /** Parents before their children; siblings in start order. */
  spans: SpanRecord[];
}

function hrToMs(time: readonly [number, number]): number {
  return time[0] * 1000 + time[1] / 1e6;
}

// SpanStatusCode values of @opentelemetry/api, spelled out to avoid loading the API for a lookup.
const STATUS_NAMES = ['unset', 'ok', 'error'] as const;

/** Converts an SDK span to its JSON record. */
export function toSpanRecord(span: ReadableSpan): SpanRecord {
  const context = span.spanContext();
  const startMs = hrToMs(span.startTime);
  const endMs = hrToMs(span.endTime);
  const record: SpanRecord = {
    name: span.name,
    traceId: context.traceId,
    spanId: context.spanId,
    startMs,
    endMs,
    durationMs: hrToMs(span.duration),
    attributes: { ...span.attributes },
    status: { code: STATUS_NAMES[span.status.code] ?? 'unset' },
    events: span.events.map((e) => ({ name: e.name, timeMs: hrToMs(e.time), ...(e.attributes ? { attributes: { ...e.attributes } } : {}) })),
  };
  if (span.parentSpanContext) record.parentSpanId = span.parentSpanContext.spanId;
  if (span.status.message) record.status.message = span.status.message;
  return record;
}
