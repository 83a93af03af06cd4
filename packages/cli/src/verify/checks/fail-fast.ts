import type { CheckResult } from '../verify-types.ts';
import type { EngineCheckDeps } from '../engine-check-deps.ts';
import { failFastWorkflow } from '../synthetic-workflows.ts';
import { runWithWatchdog } from '../watchdog.ts';

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

/**
 * A failing step with fail_fast on stops its running siblings (cancelled, not finished), starts nothing new,
 * and refuses the write that a sibling ignoring the abort makes afterwards (the state stays as it was).
 */
export async function checkFailFast(deps: EngineCheckDeps, signal?: AbortSignal, deadlineMs = 10_000): Promise<CheckResult> {
  const workflow = failFastWorkflow();
  const facts = workflow.facts;
  const sim = deps.simAgents();
  const plan = await deps.compile(workflow.source, `${workflow.name}.yaml`, sim.agents);
  const started = deps.clock.now();
  const outcome = await runWithWatchdog((s) => deps.run({ plan, engine: 'parallel', agents: sim.agents, signal: s }), deadlineMs, signal);
  const elapsed = deps.clock.now() - started;
  if (outcome.kind === 'overdue') {
    return { name: 'fail-fast', ok: false, reason: `the run was still going ${Math.round(elapsed)} ms after start: "${facts.failing}" failed at 50 ms but its siblings were not stopped`, details: { elapsedMs: Math.round(elapsed) } };
  }
  if (outcome.kind === 'failed') {
    return { name: 'fail-fast', ok: false, reason: `the run threw ${String(outcome.error)} instead of ending failed with a record` };
  }
  // Wait until every invocation has ended, so that a late write would have happened by now.
  const waitUntil = deps.clock.now() + facts.siblingMs;
  while (sim.recorder.all().some((r) => r.outcome === 'running') && deps.clock.now() < waitUntil) await deps.clock.sleep(20, signal);

  const { record, state } = outcome.value;
  const statusOf = (id: string): string => record.steps.find((s) => s.id === id)?.status ?? 'missing';
  const problems: string[] = [];
  if (record.status !== 'failed') problems.push(`the run ended ${record.status}, expected failed`);
  if (statusOf(facts.failing) !== 'failed') problems.push(`"${facts.failing}" ended ${statusOf(facts.failing)}, expected failed`);
  const finished = facts.siblings.filter((id) => statusOf(id) !== 'cancelled');
  if (finished.length > 0) {
    problems.push(`siblings were not cancelled: ${finished.map((id) => `${id} ended ${statusOf(id)}`).join(', ')}`);
  }
  const started2 = facts.notStarted.filter((id) => sim.recorder.count(id) > 0);
  if (started2.length > 0) problems.push(`steps started after the failure: ${started2.join(', ')}`);
  const value = state[facts.stateKey];
  if (!isEmpty(value)) problems.push(`late writes were committed: state "${facts.stateKey}" is ${JSON.stringify(value)}, expected unchanged (empty)`);
  if (elapsed >= facts.siblingMs) problems.push(`the run took ${Math.round(elapsed)} ms, as long as the ${facts.siblingMs} ms sibling: it waited for it instead of cancelling it`);
  const details = {
    elapsedMs: Math.round(elapsed),
    runStatus: record.status,
    steps: Object.fromEntries([facts.failing, ...facts.siblings, ...facts.notStarted].map((id) => [id, statusOf(id)])),
    state: { [facts.stateKey]: value ?? null },
    errors: record.errors.map((e) => e.code),
  };
  if (problems.length > 0) return { name: 'fail-fast', ok: false, reason: problems.join('; '), details };
  return { name: 'fail-fast', ok: true, reason: `"${facts.failing}" failed, siblings ${facts.siblings.join(' and ')} were cancelled after ${Math.round(elapsed)} ms, their late writes refused`, details };
}
