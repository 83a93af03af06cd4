export type * from './tracer.ts';
export { noopTracer, noopSpan } from './tracer.ts';
export type { OtelTracerOptions } from './otel-tracer.ts';
export { createOtelTracer, otelEnvExporterConfigured } from './otel-tracer.ts';
export type { SpanRecord, TraceFile } from './span-record.ts';
export { REDACTED, redactSecrets, redactString, registerSecret, clearRegisteredSecrets, isSecretKey, hasRegisteredSecrets, maskRegisteredSecrets } from './redact.ts';
