import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { createArtifactWriter } from '../agents/fs-artifact-writer.ts';
import { UcopError, toUcopError } from '../errors/ucop-error.ts';
import { renderTemplate } from '../expr/index.ts';
import type { CompiledPlan, PlanStep } from '../plan/plan-types.ts';
import { stepsDownstreamOfAltered, stepsToRerun } from '../run/resume.ts';
import type { RunRecord, RunRecordFile } from '../run/run-record.ts';
import { maskRegisteredSecrets, registerSecret } from '../telemetry/redact.ts';
import { buildResumeIndex } from '../store/resume-index.ts';
import { RunRecorder } from '../store/run-recorder.ts';
import { openRunStore, type RunStore } from '../store/run-store.ts';
import { noopTracer } from '../telemetry/tracer.ts';
import { systemClock } from './clock.ts';
import { LocalExecutor } from './local-executor.ts';
import { ParallelScheduler } from './parallel-scheduler.ts';
import { buildRunRecord, type RunRecordInput } from './run-record-builder.ts';
import type { RunStatus } from './run-events.ts';
import type { RunOptions, RunResult } from './run-options.ts';
import { resolveRunEnv, resolveRunInputs } from './run-inputs.ts';
import { RunSession } from './run-session.ts';
import { redactingLogger } from './redacting-logger.ts';
import { silentLogger } from './scoped-logger.ts';
import { runSequential } from './sequential-engine.ts';
import { runInRunScope } from './stray-error-trap.ts';
import { admitError } from './attempt-result-boundary.ts';
import { unavailableArtifactWriter } from './unavailable-artifacts.ts';

function usage(message: string, fields: Record<string, unknown> = {}): UcopError {
  return new UcopError('USAGE', message, { fields });
}

/**
 * Whether an id names a step of the plan: a top-level step, or an inner step, instance or iteration by its
 * stable id (`chapter[3].polish`, `review#2.revise`, `epic[0].feature[1]`).
 */
function isPlanStepId(plan: CompiledPlan, id: string): boolean {
  let steps: Record<string, PlanStep> | undefined = plan.steps;
  for (const part of id.split('.')) {
    const name = /^([a-z][a-z0-9_]*)(\[\d+\])?(#\d+)?$/.exec(part);
    const step: PlanStep | undefined = name && steps && Object.hasOwn(steps, name[1]!) ? steps[name[1]!] : undefined;
    if (!step) return false;
    steps = step.body?.steps;
  }
  return true;
}

function checkOptions(plan: CompiledPlan, options: RunOptions): void {
  if (options.maxParallel !== undefined && (!Number.isInteger(options.maxParallel) || options.maxParallel < 1)) {
    throw usage(`maxParallel must be a whole number of at least 1, got ${String(options.maxParallel)}`, { maxParallel: options.maxParallel });
  }
  if (options.resume && !options.outDir && !options.store) throw usage('resume needs the output directory of the earlier run; pass outDir (-o <dir>)');
  const fromStep = typeof options.resume === 'object' ? options.resume.fromStep : undefined;
  if (fromStep !== undefined && !isPlanStepId(plan, fromStep)) {
    throw usage(`--from-step "${fromStep}" is not a step of workflow "${plan.workflow}"; its steps are: ${plan.order.join(', ')}`, { fromStep });
  }
}

/**
 * Runs a compiled workflow and returns its record, outputs and final state.
 *
 * The engine is the parallel scheduler (see ParallelScheduler) unless `engine: 'sequential'` or the plan
 * says `parallel: false`. Both follow the same rules, implemented once in RunSession:
 * - Skip rule: a step whose dependency failed, timed out or was skipped is skipped (reason `dependency "X"
 *   failed` in the record) unless its `if:` reads that dependency's status (`steps.X.status`); a
 *   dependency that failed with `continue_on_error` never skips its dependents. A false `if:` skips too.
 * - Attempts: per-attempt timeout, whole-run deadline and fail-fast all abort the one signal the agent
 *   gets; an agent that ignores it is abandoned after `cancel_grace` and its late result and writes are
 *   discarded. Retries back off exponentially with jitter, only for retryable errors.
 * - fail_fast: the first failure (after retries, not `continue_on_error`) aborts every running attempt,
 *   starts nothing new, and the run fails with every error gathered. Otherwise independent branches go on.
 * - Guards: RUN_TIMEOUT (status `timed_out`), GUARD_MAX_STEPS, GUARD_NO_PROGRESS.
 * With `outDir`, `run.json` (rewritten as steps finish, so a killed run leaves a partial record) and
 * `steps/<id>[.<index>].json` are written atomically; with `resume`, intact earlier results are reused.
 *
 * @throws UcopError INPUT_MISSING / INPUT_INVALID for bad inputs, USAGE for bad options; everything that
 *   happens while running ends up in the record instead.
 * @example
 * ```ts
 * const plan = compileWorkflow(loaded, { agents });
 * const { record, outputs } = await runWorkflow(plan, { inputs: { topic: 'caching' }, agents, outDir: 'out' });
 * ```
 */
export async function runWorkflow(plan: CompiledPlan, options: RunOptions): Promise<RunResult> {
  let store = options.store;
  try {
    checkOptions(plan, options);
    for (const secret of options.secrets ?? []) registerSecret(secret);
    const inputs = resolveRunInputs(plan.inputs, options.inputs);
    const env = resolveRunEnv(plan.env, options.env ?? process.env);
    const outDir = store?.dir ?? (options.outDir === undefined ? undefined : resolve(options.outDir));
    if (outDir !== undefined) store ??= await openRunStore(outDir, { resume: Boolean(options.resume), expectedUnits: plan.order.length });
    return await runWithStore(plan, options, inputs, env, outDir, store);
  } catch (error) {
    // Failed before the run could start (bad inputs or options): the store is released untouched.
    await store?.close().catch(() => undefined);
    throw error;
  }
}

async function runWithStore(
  plan: CompiledPlan,
  options: RunOptions,
  inputs: Record<string, unknown>,
  env: Record<string, string | undefined>,
  outDir: string | undefined,
  store: RunStore | undefined,
): Promise<RunResult> {
  const engine = options.engine ?? (plan.settings.parallel ? 'parallel' : 'sequential');
  const maxParallel = engine === 'sequential' ? 1 : Math.max(1, options.maxParallel ?? plan.settings.maxParallel);
  const recorder = store === undefined ? undefined : new RunRecorder(store);
  const resume = options.resume && store !== undefined ? await buildResumeIndex(store.dir, store.earlier) : undefined;
  const fromStep = typeof options.resume === 'object' ? options.resume.fromStep : undefined;
  const rerun = fromStep === undefined ? new Set<string>() : stepsToRerun(plan.steps, fromStep);
  if (resume) for (const id of stepsDownstreamOfAltered(plan.steps, resume.altered)) rerun.add(id);
  const artifacts = outDir === undefined ? unavailableArtifactWriter : createArtifactWriter(outDir);
  let local: LocalExecutor | undefined;
  const session = new RunSession({
    plan,
    engine,
    maxParallel,
    failFast: options.failFast ?? plan.settings.failFast,
    runId: options.runId ?? randomUUID(),
    inputs,
    env,
    clock: options.clock ?? systemClock,
    tracer: options.tracer ?? noopTracer,
    onEvent: options.onEvent,
    agents: options.agents,
    executor: (store) => {
      if (options.executor) return options.executor;
      local = new LocalExecutor({ agents: options.agents, state: store, llm: options.llm, artifacts, logger: options.logger ? redactingLogger(options.logger) : silentLogger });
      return local;
    },
    prepareAgents: (names) => local?.prepare(names),
    random: options.random ?? Math.random,
    recorder,
    resume,
    rerun,
    altered: new Set(resume?.altered.map((u) => u.stepId) ?? []),
    signal: options.signal,
  });
  const recordInput = (wallMs: number, outputs: Record<string, unknown>): RunRecordInput => ({
    plan,
    runId: session.runId,
    engine,
    startedAt: session.startedAt,
    wallMs,
    maxParallel,
    // A secret passed as an input (`-i key=...`) is masked in the record; the steps still get it.
    inputs: maskRegisteredSecrets(inputs),
    // Outputs may render a declared `env` variable marked secret.
    outputs: maskRegisteredSecrets(outputs),
    runtimes: session.table.inPlanOrder(),
    errors: session.errorRecords(),
  });
  if (recorder) {
    const partial = (): RunRecordFile => buildRunRecord(recordInput(session.elapsed(), {}), 'running');
    session.saveProgress = () => recorder.progress(partial);
  }

  // An agent's stray error (from a timer it started, a promise it never awaited) fails its attempt or this
  // run instead of the process; the second interrupt abandons what still runs so that the record is written.
  const strayFault = { fail: (error: UcopError) => session.stopRun('guard', admitError(error)) };
  const abandonRunning = (): void => {
    for (const handle of [...session.running]) if (handle.abortedAs) handle.settle({ kind: 'abandoned' });
  };
  options.urgentSignal?.addEventListener('abort', abandonRunning);
  session.begin();
  recorder?.runStarted(session.runId, plan.workflow, session.startedAt, resume !== undefined);
  try {
    await runInRunScope(strayFault, async () => {
      if (engine === 'parallel') await new ParallelScheduler(session, options.scheduling ?? 'critical-path').run();
      else await runSequential(session);
    });
    session.cancelRemaining();
  } finally {
    options.urgentSignal?.removeEventListener('abort', abandonRunning);
    session.dispose();
  }

  const stop = session.stopKind;
  let status: RunStatus = stop === 'deadline' ? 'timed_out' : stop === 'cancel' ? 'cancelled' : stop || session.errors.length > 0 ? 'failed' : 'succeeded';
  const errors = session.errorRecords();
  const outputs: Record<string, unknown> = {};
  const scope = session.scope();
  for (const [name, template] of Object.entries(plan.outputs)) {
    try {
      outputs[name] = renderTemplate(template, scope);
    } catch (error) {
      outputs[name] = null;
      if (status === 'succeeded') {
        // A succeeded run whose declared output cannot be computed did not deliver: it fails.
        const e = toUcopError(error, 'EXPRESSION_EVAL');
        errors.push({ code: e.code, message: `output "${name}": ${e.message}` });
        status = 'failed';
      }
    }
  }
  const wallMs = session.elapsed();
  const record: RunRecord = { ...buildRunRecord(recordInput(wallMs, outputs), status), errors };
  const stages = options.stageMetrics?.();
  if (stages && Object.keys(stages).length > 0) {
    record.stages = stages;
    // In the trace too, on the run's span (attribute values are scalars: the figures as one JSON text).
    session.span.setAttributes({ 'ucop.stages': JSON.stringify(stages) });
  }
  session.span.setAttributes({ status, wall_ms: wallMs, speedup: record.metrics.speedup, efficiency: record.metrics.efficiency, steps_executed: record.steps.filter((s) => s.startMs !== undefined).length });
  if (status === 'succeeded') session.span.setStatus('ok');
  else session.span.setStatus('error', `run ${status}${errors[0] ? `: ${errors[0].message}` : ''}`);
  session.span.end();
  let recordWritten = recorder !== undefined;
  if (recorder) {
    try {
      await recorder.finish(record.status, record);
    } catch (error) {
      recordWritten = false;
      const e = toUcopError(error);
      record.errors.push({ code: e.code, message: e.message });
      record.status = 'failed';
    }
  }
  session.emit?.({ type: 'run.finished', runId: session.runId, status: record.status, at: wallMs, wallMs });
  return { record, outputs, state: session.store.snapshot(), recordWritten };
}
