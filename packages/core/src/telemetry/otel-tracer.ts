import { createRequire } from 'node:module';
import type * as OtelApi from '@opentelemetry/api';
import type * as OtelSdkNode from '@opentelemetry/sdk-node';
import type * as OtelSdkTraceBase from '@opentelemetry/sdk-trace-base';
import type { SpanAttributes, SpanHandle, Tracer } from './tracer.ts';
import { noopTracer } from './tracer.ts';
import { FileSpanProcessor } from './file-span-processor.ts';
import { OtelSpanHandle, cleanAttributes } from './otel-span-handle.ts';

// OpenTelemetry keeps its globals under a Symbol.for key, so a required copy and an imported one share them.
const require = createRequire(import.meta.url);

function load<T>(specifier: string): T {
  return require(specifier) as T;
}

export interface OtelTracerOptions {
  /** `service.name` of the spans. @default 'ucop' */
  serviceName?: string;
  /** Writes the finished spans as JSON to this file on `shutdown()` (what `--trace` uses). */
  traceFile?: string;
  /**
   * Sends spans to a collector through `@opentelemetry/sdk-node` when the standard variables ask for it
   * (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_TRACES_EXPORTER`).
   * @default false
   */
  useEnvExporter?: boolean;
  /** Where the variables are read from (the SDK itself reads `process.env`). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Whether the `OTEL_*` variables configure a trace exporter (and the SDK is not disabled). */
export function otelEnvExporterConfigured(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (exporter === 'none') return false;
  return Boolean(exporter || env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * The OpenTelemetry tracer: a span per run, with children per step attempt and per provider call.
 *
 * - With `traceFile`, finished spans are collected in memory and written to that file on `shutdown()`.
 * - With `useEnvExporter` and the `OTEL_*` variables set, the NodeSDK is started and exports spans to the
 *   configured collector (it registers the global tracer provider until `shutdown()`).
 * - With neither, it returns {@link noopTracer}: nothing is loaded and spans cost nothing.
 *
 * The OpenTelemetry packages are loaded (synchronously, with `require`) only when tracing is on: they take
 * hundreds of milliseconds to import, which every `ucop` command would otherwise pay.
 *
 * @example
 * ```ts
 * const tracer = createOtelTracer({ traceFile: join(outDir, 'trace.json'), useEnvExporter: true });
 * const run = tracer.startRun('run', { 'ucop.workflow': 'blog' });
 * try { ... } finally { run.end(); await tracer.shutdown(); }
 * ```
 */
export function createOtelTracer(options: OtelTracerOptions = {}): Tracer {
  const serviceName = options.serviceName ?? 'ucop';
  const useEnv = (options.useEnvExporter ?? false) && otelEnvExporterConfigured(options.env ?? process.env);
  if (!options.traceFile && !useEnv) return noopTracer;

  const api = load<typeof OtelApi>('@opentelemetry/api');
  const file = options.traceFile ? new FileSpanProcessor(options.traceFile, serviceName) : undefined;

  if (useEnv) {
    const { NodeSDK } = load<typeof OtelSdkNode>('@opentelemetry/sdk-node');
    const sdk = new NodeSDK({ serviceName });
    sdk.start();
    const tracer = api.trace.getTracer('ucop');
    // The SDK owns its span processors, so the file is fed from each handle as its span ends.
    const onEnd = file ? (span: unknown) => file.onEnd(span as OtelSdkTraceBase.ReadableSpan) : undefined;
    let stopped: Promise<void> | undefined;
    return {
      startRun: (name, attributes) => startRoot(api, tracer, name, attributes, onEnd),
      shutdown() {
        stopped ??= (async () => {
          try {
            await sdk.shutdown();
          } finally {
            // Let a later tracer in the same process register its own provider.
            api.trace.disable();
            await file?.shutdown();
          }
        })();
        return stopped;
      },
    };
  }

  const { BasicTracerProvider } = load<typeof OtelSdkTraceBase>('@opentelemetry/sdk-trace-base');
  const provider = new BasicTracerProvider({ spanProcessors: file ? [file] : [] });
  const tracer = provider.getTracer('ucop');
  let stopped: Promise<void> | undefined;
  return {
    startRun: (name, attributes) => startRoot(api, tracer, name, attributes, undefined),
    shutdown() {
      stopped ??= provider.shutdown();
      return stopped;
    },
  };
}

function startRoot(
  api: typeof OtelApi,
  tracer: OtelApi.Tracer,
  name: string,
  attributes: SpanAttributes | undefined,
  onEnd: ((span: OtelApi.Span) => void) | undefined,
): SpanHandle {
  // Each run is its own trace, even when started inside another span's context.
  const span = tracer.startSpan(name, { attributes: cleanAttributes(attributes), root: true });
  return new OtelSpanHandle(api, tracer, span, onEnd);
}
