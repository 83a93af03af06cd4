import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOtelTracer, otelEnvExporterConfigured } from './otel-tracer.ts';
import { noopTracer } from './tracer.ts';
import { REDACTED } from './redact.ts';
import type { TraceFile } from './span-record.ts';
import { UcopError } from '../errors/ucop-error.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-trace-'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function readTrace(path: string): TraceFile {
  return JSON.parse(readFileSync(path, 'utf8')) as TraceFile;
}

describe('createOtelTracer', () => {
  it('is the no-op tracer when neither a file nor the environment asks for spans', async () => {
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'console');
    expect(createOtelTracer()).toBe(noopTracer);
    expect(createOtelTracer({ useEnvExporter: true, env: {} })).toBe(noopTracer);
  });

  it('writes nested spans with their attributes, status and events to the trace file', async () => {
    const traceFile = join(dir, 'out', 'trace.json');
    const tracer = createOtelTracer({ traceFile, serviceName: 'test' });
    const run = tracer.startRun('run', { 'ucop.workflow': 'blog', skipped: undefined });
    const step = run.child('step outline', { 'ucop.step': 'outline', 'ucop.attempt': 1 });
    const call = step.child('llm.generate', { 'ucop.provider': 'offline', prompt: 'uses sk-abcdefghijklmnopqrstuvwx' });
    call.recordError(new UcopError('PROVIDER_HTTP', 'boom', { retryable: true }));
    call.end();
    call.end(); // idempotent
    step.setAttributes({ 'ucop.queue_wait_ms': 12 });
    step.setStatus('ok');
    step.end();
    run.setAttributes({ 'ucop.speedup': 2.5, 'ucop.efficiency': 0.9, api_key: 'plain' });
    run.setStatus('error', 'run failed: key sk-abcdefghijklmnopqrstuvwx refused');
    run.end();
    expect(existsSync(traceFile)).toBe(false); // written on shutdown only
    await tracer.shutdown();

    const trace = readTrace(traceFile);
    expect(trace.serviceName).toBe('test');
    expect(trace.spans.map((s) => s.name)).toEqual(['run', 'step outline', 'llm.generate']);
    const [runSpan, stepSpan, callSpan] = trace.spans;
    expect(runSpan!.parentSpanId).toBeUndefined();
    expect(stepSpan!.parentSpanId).toBe(runSpan!.spanId);
    expect(callSpan!.parentSpanId).toBe(stepSpan!.spanId);
    expect(new Set(trace.spans.map((s) => s.traceId)).size).toBe(1);
    expect(runSpan!.attributes).toEqual({ 'ucop.workflow': 'blog', 'ucop.speedup': 2.5, 'ucop.efficiency': 0.9, api_key: REDACTED });
    expect(stepSpan!.attributes).toEqual({ 'ucop.step': 'outline', 'ucop.attempt': 1, 'ucop.queue_wait_ms': 12 });
    expect(callSpan!.attributes).toMatchObject({ prompt: `uses ${REDACTED}`, 'error.code': 'PROVIDER_HTTP' });
    expect(callSpan!.status).toEqual({ code: 'error', message: 'boom' });
    expect(stepSpan!.status).toEqual({ code: 'ok' });
    expect(runSpan!.status).toEqual({ code: 'error', message: `run failed: key ${REDACTED} refused` });
    expect(runSpan!.events).toEqual([]);
    expect(callSpan!.events.map((e) => e.name)).toEqual(['exception']);
    expect(runSpan!.endMs).toBeGreaterThanOrEqual(runSpan!.startMs);
  });

  it('starts every run as a new trace', async () => {
    const traceFile = join(dir, 'trace.json');
    const tracer = createOtelTracer({ traceFile });
    const a = tracer.startRun('a');
    const b = tracer.startRun('b');
    b.end();
    a.end();
    await tracer.shutdown();
    await tracer.shutdown(); // idempotent
    const [sa, sb] = readTrace(traceFile).spans;
    expect(sa!.traceId).not.toBe(sb!.traceId);
  });

  it('exports through the NodeSDK when OTEL_* variables are set, and still writes the file', async () => {
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'console');
    vi.stubEnv('OTEL_METRICS_EXPORTER', 'none');
    vi.stubEnv('OTEL_LOGS_EXPORTER', 'none');
    const dirSpy = vi.spyOn(console, 'dir').mockImplementation(() => {});
    const traceFile = join(dir, 'trace.json');
    const tracer = createOtelTracer({ traceFile, useEnvExporter: true });
    expect(tracer).not.toBe(noopTracer);
    const run = tracer.startRun('run');
    run.child('step').end();
    run.end();
    await tracer.shutdown();
    const exported = dirSpy.mock.calls.map(([info]) => (info as { name?: string }).name);
    expect(exported).toEqual(expect.arrayContaining(['run', 'step']));
    const trace = readTrace(traceFile);
    expect(trace.spans.map((s) => s.name)).toEqual(['run', 'step']);
    expect(trace.spans[1]!.parentSpanId).toBe(trace.spans[0]!.spanId);
  }, 20_000);
});

describe('otelEnvExporterConfigured', () => {
  it('reads the standard variables', () => {
    expect(otelEnvExporterConfigured({})).toBe(false);
    expect(otelEnvExporterConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(otelEnvExporterConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c' })).toBe(true);
    expect(otelEnvExporterConfigured({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(otelEnvExporterConfigured({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' })).toBe(false);
    expect(otelEnvExporterConfigured({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' })).toBe(false);
  });
});
