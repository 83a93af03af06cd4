import type { InvocationRecord } from '@ucop/core';
import type { CheckResult } from '../verify-types.ts';
import type { EngineCheckDeps } from '../engine-check-deps.ts';
import { exactlyOnceWorkflow, type ExpectedInvocation } from '../synthetic-workflows.ts';
import { runWithWatchdog } from '../watchdog.ts';

function keyOf(stepId: string, itemIndex: number | undefined, attempt: number): string {
  return itemIndex === undefined ? `${stepId} attempt ${attempt}` : `${stepId}[${itemIndex}] attempt ${attempt}`;
}

/** Compares recorded invocations with the expected ones: duplicates, missing and unexpected, by key. */
export function compareInvocations(expected: readonly ExpectedInvocation[], records: readonly InvocationRecord[]): { duplicated: string[]; missing: string[]; unexpected: string[] } {
  const counts = new Map<string, number>();
  for (const r of records) {
    const key = keyOf(r.stepId, r.itemIndex, r.attempt);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const wanted = new Set(expected.map((e) => keyOf(e.stepId, e.itemIndex, e.attempt)));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} ran ${n} times`);
  const missing = [...wanted].filter((key) => !counts.has(key));
  const unexpected = [...counts.keys()].filter((key) => !wanted.has(key));
  return { duplicated, missing, unexpected };
}

const ENGINES = ['parallel', 'sequential'] as const;

/**
 * Runs a workflow of sim.delay steps with fan-out and retries in both engines and counts invocations: each
 * (step, item, attempt) must run exactly once, none missing, none extra.
 */
export async function checkExactlyOnce(deps: EngineCheckDeps, signal?: AbortSignal, deadlineMs = 30_000): Promise<CheckResult> {
  const workflow = exactlyOnceWorkflow();
  const problems: string[] = [];
  const details: Record<string, unknown> = { expectedInvocations: workflow.facts.expected.length };
  for (const engine of ENGINES) {
    const sim = deps.simAgents();
    const plan = await deps.compile(workflow.source, `${workflow.name}.yaml`, sim.agents);
    const outcome = await runWithWatchdog((s) => deps.run({ plan, engine, agents: sim.agents, signal: s }), deadlineMs, signal);
    if (outcome.kind === 'overdue') {
      problems.push(`${engine} engine: the run did not finish within ${deadlineMs} ms`);
      continue;
    }
    if (outcome.kind === 'failed') {
      problems.push(`${engine} engine: the run threw ${String(outcome.error)}`);
      continue;
    }
    const records = sim.recorder.all();
    const found = compareInvocations(workflow.facts.expected, records);
    details[engine] = { invocations: records.length, status: outcome.value.record.status, ...found };
    if (found.duplicated.length > 0) problems.push(`${engine} engine: ${found.duplicated.join(', ')} (each attempt must run once)`);
    if (found.missing.length > 0) problems.push(`${engine} engine: never invoked: ${found.missing.join(', ')}`);
    if (found.unexpected.length > 0) problems.push(`${engine} engine: unexpected invocations: ${found.unexpected.join(', ')}`);
    if (outcome.value.record.status !== 'succeeded') problems.push(`${engine} engine: the run ended ${outcome.value.record.status}, expected succeeded`);
  }
  if (problems.length > 0) return { name: 'exactly-once', ok: false, reason: problems.join('; '), details };
  return { name: 'exactly-once', ok: true, reason: `${workflow.facts.expected.length} (step, item, attempt) invocations, each exactly once, in both engines`, details };
}
