import type { RunRecord, StepRecord } from '@ucop/core';
import type { CheckResult } from '../verify-types.ts';
import type { EngineCheckDeps } from '../engine-check-deps.ts';
import { timeoutWorkflow, type TimeoutFacts } from '../synthetic-workflows.ts';
import { runWithWatchdog } from '../watchdog.ts';

/** Options of {@link checkTimeouts}. */
export interface TimeoutCheckOptions {
  /**
   * How late past its timeout (plus the configured cancel grace) a step may end: timer lateness on a
   * loaded machine, not engine slack. @default 250
   */
  toleranceMs?: number;
  /** How long to wait for a run that does not stop before declaring it hung. @default 5000 */
  hangMs?: number;
}

function timedOutStep(record: RunRecord, stepId: string): StepRecord | undefined {
  return record.steps.find((s) => s.id === stepId);
}

async function checkOne(deps: EngineCheckDeps, facts: TimeoutFacts, source: string, name: string, tolerance: number, hangMs: number, signal?: AbortSignal): Promise<{ problems: string[]; details: Record<string, unknown> }> {
  const limit = facts.timeoutMs + (facts.ignoreAbort ? facts.cancelGraceMs : 0) + tolerance;
  const label = facts.ignoreAbort ? 'agent ignoring the abort' : 'agent honouring the abort';
  const sim = deps.simAgents();
  const plan = await deps.compile(source, `${name}.yaml`, sim.agents);
  const started = deps.clock.now();
  const outcome = await runWithWatchdog((s) => deps.run({ plan, engine: 'parallel', agents: sim.agents, signal: s }), limit + hangMs, signal);
  const elapsed = deps.clock.now() - started;
  const details: Record<string, unknown> = { timeoutMs: facts.timeoutMs, limitMs: limit, elapsedMs: Math.round(elapsed) };
  if (outcome.kind === 'overdue') {
    return { problems: [`${label}: the run was still going ${Math.round(elapsed)} ms after start, the ${facts.timeoutMs} ms step timeout did not stop the step`], details };
  }
  if (outcome.kind === 'failed') return { problems: [`${label}: the run threw ${String(outcome.error)} instead of reporting STEP_TIMEOUT in its record`], details };
  const { record } = outcome.value;
  const step = timedOutStep(record, facts.stepId);
  const stepMs = step?.startMs !== undefined && step.endMs !== undefined ? step.endMs - step.startMs : undefined;
  Object.assign(details, { runStatus: record.status, stepStatus: step?.status, stepMs: stepMs === undefined ? undefined : Math.round(stepMs), errorCode: step?.error?.code });
  const problems: string[] = [];
  if (elapsed > limit) problems.push(`${label}: the run took ${Math.round(elapsed)} ms, more than the ${facts.timeoutMs} ms timeout plus ${limit - facts.timeoutMs} ms`);
  if (stepMs !== undefined && stepMs > limit) problems.push(`${label}: the step ran ${Math.round(stepMs)} ms by its record, more than ${limit} ms`);
  const codes = [step?.error?.code, ...record.errors.map((e) => e.code)];
  if (!codes.includes('STEP_TIMEOUT')) problems.push(`${label}: the run record does not report STEP_TIMEOUT (step error: ${step?.error?.code ?? 'none'})`);
  if (step?.status !== 'timed_out') problems.push(`${label}: step "${facts.stepId}" ended ${step?.status ?? 'without a record'}, expected timed_out`);
  if (record.status === 'succeeded') problems.push(`${label}: the run succeeded although its only step timed out`);
  return { problems, details };
}

/**
 * A step that would hang (60 s of sim.delay under a 200 ms timeout) is stopped within its timeout plus a
 * small tolerance, and the run reports STEP_TIMEOUT; the same with an agent that ignores the abort signal,
 * which the engine must abandon after its cancel grace.
 */
export async function checkTimeouts(deps: EngineCheckDeps, signal?: AbortSignal, options: TimeoutCheckOptions = {}): Promise<CheckResult> {
  const tolerance = options.toleranceMs ?? 250;
  const hangMs = options.hangMs ?? 5000;
  const problems: string[] = [];
  const details: Record<string, unknown> = {};
  for (const ignoreAbort of [false, true]) {
    const workflow = timeoutWorkflow(ignoreAbort);
    const found = await checkOne(deps, workflow.facts, workflow.source, workflow.name, tolerance, hangMs, signal);
    problems.push(...found.problems);
    details[ignoreAbort ? 'ignoringAgent' : 'honouringAgent'] = found.details;
  }
  if (problems.length > 0) return { name: 'timeouts', ok: false, reason: problems.join('; '), details };
  const a = details.honouringAgent as { elapsedMs: number };
  const b = details.ignoringAgent as { elapsedMs: number };
  return { name: 'timeouts', ok: true, reason: `a 60 s step under a 200 ms timeout stopped after ${a.elapsedMs} ms (${b.elapsedMs} ms when the agent ignores the abort), reported as STEP_TIMEOUT`, details };
}
