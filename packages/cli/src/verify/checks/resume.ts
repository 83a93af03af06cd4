import type { CheckResult } from '../verify-types.ts';
import type { EngineCheckDeps } from '../engine-check-deps.ts';
import { resumeWorkflow } from '../synthetic-workflows.ts';
import { runWithWatchdog } from '../watchdog.ts';
import { withTempDir } from '../temp-dir.ts';

/**
 * Runs a workflow into a directory, then again into the same directory with resume: the second run must
 * invoke no agent at all, take every step from the first run (records marked `resumed`), and produce the
 * same outputs.
 */
export async function checkResume(deps: EngineCheckDeps, signal?: AbortSignal, deadlineMs = 30_000): Promise<CheckResult> {
  const workflow = resumeWorkflow();
  return withTempDir('verify-resume', async (dir) => {
    const sim = deps.simAgents();
    const plan = await deps.compile(workflow.source, `${workflow.name}.yaml`, sim.agents);
    const first = await runWithWatchdog((s) => deps.run({ plan, engine: 'parallel', agents: sim.agents, outDir: dir, signal: s }), deadlineMs, signal);
    if (first.kind !== 'done' || first.value.record.status !== 'succeeded') {
      const why = first.kind === 'done' ? `ended ${first.value.record.status}` : first.kind === 'failed' ? `threw ${String(first.error)}` : 'did not finish';
      return { name: 'resume', ok: false, reason: `the first run ${why}, so resume could not be checked` };
    }
    const firstInvocations = sim.recorder.all().length;
    sim.recorder.clear();
    const second = await runWithWatchdog((s) => deps.run({ plan, engine: 'parallel', agents: sim.agents, outDir: dir, resume: true, signal: s }), deadlineMs, signal);
    if (second.kind !== 'done') {
      return { name: 'resume', ok: false, reason: `the resumed run ${second.kind === 'failed' ? `threw ${String(second.error)}` : 'did not finish'}` };
    }
    const rerun = sim.recorder.all();
    const record = second.value.record;
    // A fan-out step has a summary record besides its items; the items are what ran, so they are what resumes.
    const fannedOut = new Set(record.steps.filter((s) => s.itemIndex !== undefined).map((s) => s.id));
    const units = record.steps.filter((s) => s.itemIndex !== undefined || !fannedOut.has(s.id));
    const notResumed = units.filter((s) => s.resumed !== true).map((s) => (s.itemIndex === undefined ? s.id : `${s.id}[${s.itemIndex}]`));
    const problems: string[] = [];
    if (rerun.length > 0) {
      const names = [...new Set(rerun.map((r) => (r.itemIndex === undefined ? r.stepId : `${r.stepId}[${r.itemIndex}]`)))];
      problems.push(`resume reran ${rerun.length} invocation(s): ${names.join(', ')} (finished steps must be taken from the run directory)`);
    }
    if (notResumed.length > 0) problems.push(`run records not marked resumed: ${notResumed.join(', ')}`);
    if (record.status !== 'succeeded') problems.push(`the resumed run ended ${record.status}`);
    if (JSON.stringify(record.outputs) !== JSON.stringify(first.value.record.outputs)) problems.push('the resumed run\'s outputs differ from the first run\'s');
    if (JSON.stringify(second.value.state) !== JSON.stringify(first.value.state)) {
      problems.push(`the resumed run's state ${JSON.stringify(second.value.state)} differs from the first run's ${JSON.stringify(first.value.state)}`);
    }
    const details = { firstInvocations, resumedInvocations: rerun.length, units: units.length, notResumed };
    if (problems.length > 0) return { name: 'resume', ok: false, reason: problems.join('; '), details };
    return { name: 'resume', ok: true, reason: `the second run invoked nothing (the first made ${firstInvocations} invocations) and took all ${units.length} steps and items from the first`, details };
  });
}
