import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { writeFileAtomic } from '../files/write-file-atomic.ts';
import { toSpanRecord, type SpanRecord, type TraceFile } from './span-record.ts';

/**
 * Collects finished spans in memory and writes them as JSON ({@link TraceFile}) to `path` when shut down,
 * atomically, so that a reader never sees half a trace.
 */
export class FileSpanProcessor implements SpanProcessor {
  readonly #path: string;
  readonly #serviceName: string;
  readonly #records: SpanRecord[] = [];
  #written: Promise<void> | undefined;

  constructor(path: string, serviceName: string) {
    this.#path = path;
    this.#serviceName = serviceName;
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#written) return; // spans ending after shutdown are not part of the file
    this.#records.push(toSpanRecord(span));
  }

  /**
   * The spans collected so far: each parent before its children, siblings and roots in start order.
   * (Start times alone cannot order them: a child may start in the same sub-millisecond tick as its parent.)
   */
  records(): SpanRecord[] {
    const byStart = [...this.#records].sort((a, b) => a.startMs - b.startMs);
    const ids = new Set(byStart.map((r) => r.spanId));
    const children = new Map<string, SpanRecord[]>();
    const roots: SpanRecord[] = [];
    for (const record of byStart) {
      // A span whose parent is not in the file (still open at shutdown, or remote) is listed as a root.
      if (record.parentSpanId === undefined || !ids.has(record.parentSpanId)) {
        roots.push(record);
        continue;
      }
      let list = children.get(record.parentSpanId);
      if (!list) children.set(record.parentSpanId, (list = []));
      list.push(record);
    }
    const out: SpanRecord[] = [];
    const stack = [...roots].reverse();
    while (stack.length > 0) {
      const record = stack.pop()!;
      out.push(record);
      const kids = children.get(record.spanId);
      if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
    return out;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Writes the file once; later calls return the same promise. */
  shutdown(): Promise<void> {
    this.#written ??= writeFileAtomic(this.#path, `${JSON.stringify({ serviceName: this.#serviceName, spans: this.records() } satisfies TraceFile, null, 2)}\n`);
    return this.#written;
  }
}
