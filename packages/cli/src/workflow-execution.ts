import { resolve } from 'node:path';
import { createOtelTracer, estimatePlan, noopTracer, openRunStore, otelEnvExporterConfigured, runWorkflow } from '@ucop/core';
import type { CompiledPlan, LlmClient, RunEventListener, RunRecord, RunResult, RunStore, StepExecutor, StepFilesSetting, Tracer } from '@ucop/core';
import type { CliIO } from './cli-io.ts';
import type { LimitWaitNotes } from './progress/limit-wait-notes.ts';
import { chooseProgressMode, createProgressReporter } from './progress/progress-reporter.ts';
import { etaPlanOf } from './progress/eta-plan.ts';
import { displayPath } from './project-context.ts';
import type { ProjectContext } from './project-context.ts';
import { summarizeRun } from './run-summary.ts';
import type { RunSummary } from './run-summary.ts';

/** How `ucop run` and `ucop generate` execute a compiled plan. */
export interface ExecutionRequest {
  plan: CompiledPlan;
  project: ProjectContext;
  inputs: Record<string, unknown>;
  /** Absolute output directory. */
  outDir: string;
  llm?: LlmClient;
  /** Write spans to this file (absolute). */
  traceFile?: string;
  /** Reuse the intact results recorded in `outDir`; `fromStep` reruns that step and everything downstream. */
  resume?: { fromStep?: string };
  /** Run with this engine regardless of the plan's settings (the dry run uses the sequential one). */
  engine?: 'parallel' | 'sequential';
  json?: boolean;
  quiet?: boolean;
  /** Who runs the step attempts (`--executor bullmq`). @default the engine's in-process executor */
  executor?: StepExecutor;
  /** Also told every run event (after the progress display). */
  onEvent?: RunEventListener;
  /** Per-stage model-call metrics, kept in run.json as `stages`. */
  stageMetrics?: () => Record<string, unknown>;
  /** Limit waits to show in the progress display. */
  limitWaits?: LimitWaitNotes;
  /** Which `steps/` files the run writes. @default auto, threshold 1000 */
  stepFiles?: StepFilesSetting;
}

export interface ExecutionResult {
  record: RunRecord;
  summary: RunSummary;
}

/**
 * Runs the plan with the progress display, tracing and the interrupt signal wired in, and summarises the
 * record. Progress goes live on a terminal, as plain lines otherwise, nowhere with --quiet or --json.
 */
export async function executePlan(io: CliIO, request: ExecutionRequest): Promise<ExecutionResult> {
  const { plan } = request;
  // The directory's lock first: a second process on the same -o stops here (RUN_LOCKED, exit 2), before it
  // writes anything there, the trace file included.
  const store = await openRunStore(request.outDir, { resume: request.resume !== undefined, expectedUnits: plan.order.length, ...(request.stepFiles ? { stepFiles: request.stepFiles } : {}) });
  if (request.resume && store.earlier.length === 0) {
    // Not an error (a first run with --resume in a script is fine), but a mistyped -o would otherwise
    // silently redo everything.
    io.stderr.write(`ucop: --resume: no earlier run in ${displayPath(io.cwd, request.outDir)} (no journal): every step runs\n`);
  }
  let reporter: ReturnType<typeof createProgressReporter>;
  let tracer: Tracer;
  try {
    ({ reporter, tracer } = startObservers(io, request));
  } catch (error) {
    await store.close();
    throw error;
  }
  request.limitWaits?.listen((text, untilMs) => reporter.note(text, untilMs));
  try {
    const result = await runPlanInStore(plan, store, {
      project: request.project,
      inputs: request.inputs,
      signal: io.signal,
      ...(io.urgentSignal ? { urgentSignal: io.urgentSignal } : {}),
      tracer,
      onEvent: (event) => {
        reporter.onEvent(event);
        request.onEvent?.(event);
      },
      env: { ...io.env },
      ...(request.engine ? { engine: request.engine } : {}),
      ...(request.llm ? { llm: request.llm } : {}),
      ...(request.executor ? { executor: request.executor } : {}),
      ...(request.stageMetrics ? { stageMetrics: request.stageMetrics } : {}),
      ...(request.resume ? { resume: request.resume } : {}),
    });
    const recordPath = resolve(request.outDir, 'run.json');
    return { record: result.record, summary: summarizeRun(result.record, displayPath(io.cwd, request.outDir), result.recordWritten ? displayPath(io.cwd, recordPath) : null) };
  } finally {
    request.limitWaits?.listen(undefined);
    reporter.close();
    await tracer.shutdown();
  }
}

/** What {@link runPlanInStore} needs besides the plan and the store. */
export interface PlanRunRequest {
  project: Pick<ProjectContext, 'agents' | 'secrets'>;
  inputs: Record<string, unknown>;
  signal: AbortSignal;
  urgentSignal?: AbortSignal;
  tracer?: Tracer;
  onEvent?: RunEventListener;
  env: Record<string, string | undefined>;
  engine?: 'parallel' | 'sequential';
  llm?: LlmClient;
  resume?: { fromStep?: string };
  /** @default a random UUID */
  runId?: string;
  /** Who runs the step attempts (e.g. workers behind a queue). @default the engine's local executor */
  executor?: StepExecutor;
  /** Per-stage model-call metrics, kept in run.json as `stages`. */
  stageMetrics?: () => Record<string, unknown>;
}

/**
 * Runs a compiled plan into an opened run store (which it closes): the part of `ucop run` that the daemon
 * shares, so that a daemon run has the same engine, record and directory layout. The project's agents and
 * secrets (masked everywhere) come with the project.
 */
export function runPlanInStore(plan: CompiledPlan, store: RunStore, request: PlanRunRequest): Promise<RunResult> {
  return runWorkflow(plan, {
    inputs: request.inputs,
    agents: request.project.agents,
    store,
    signal: request.signal,
    ...(request.urgentSignal ? { urgentSignal: request.urgentSignal } : {}),
    secrets: request.project.secrets,
    ...(request.tracer ? { tracer: request.tracer } : {}),
    ...(request.onEvent ? { onEvent: request.onEvent } : {}),
    env: request.env,
    ...(request.engine ? { engine: request.engine } : {}),
    ...(request.llm ? { llm: request.llm } : {}),
    ...(request.resume ? { resume: request.resume } : {}),
    ...(request.runId ? { runId: request.runId } : {}),
    ...(request.executor ? { executor: request.executor } : {}),
    ...(request.stageMetrics ? { stageMetrics: request.stageMetrics } : {}),
  });
}

/** The progress display and the tracer of a run. */
function startObservers(io: CliIO, request: ExecutionRequest): { reporter: ReturnType<typeof createProgressReporter>; tracer: Tracer } {
  const { plan } = request;
  const workers = plan.settings.parallel ? plan.settings.maxParallel : 1;
  const estimate = estimatePlan(plan, workers);
  const reporter = createProgressReporter({
    mode: chooseProgressMode({ isTTY: io.stdout.isTTY, quiet: request.quiet === true, json: request.json === true }),
    stream: io.stdout,
    workflow: plan.workflow,
    steps: plan.order,
    estimates: Object.fromEntries(plan.order.map((id) => [id, plan.steps[id]!.estimateMs])),
    plannedMs: estimate.lowerBoundMs,
    plan: etaPlanOf(plan, request.engine === 'sequential' ? 1 : workers),
  });
  const useEnvExporter = otelEnvExporterConfigured(io.env);
  const tracer: Tracer =
    request.traceFile !== undefined || useEnvExporter
      ? createOtelTracer({ ...(request.traceFile !== undefined ? { traceFile: request.traceFile } : {}), useEnvExporter, env: io.env })
      : noopTracer;
  return { reporter, tracer };
}
