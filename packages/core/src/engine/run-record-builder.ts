import type { CompiledPlan } from '../plan/plan-types.ts';
import { computeRunMetrics } from '../run/run-metrics.ts';
import type { RunRecord, StepRecord } from '../run/run-record.ts';
import { addFallbackCount } from '../run/fallback-counts.ts';
import type { EventError, RunStatus } from './run-events.ts';
import type { StepRuntime } from './step-runtime.ts';
import { comparePosition } from './follow-ups.ts';

/** Everything a run record is built from. */
export interface RunRecordInput {
  plan: CompiledPlan;
  runId: string;
  engine: 'parallel' | 'sequential';
  startedAt: string;
  wallMs: number;
  maxParallel: number;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** The top-level runtimes, in plan order. */
  runtimes: readonly StepRuntime[];
  errors: readonly EventError[];
}

/** Step records in plan order; a fan-out step's aggregate record comes first, then its items in order. */
export function collectStepRecords(runtimes: readonly StepRuntime[], out: StepRecord[] = []): StepRecord[] {
  for (const rt of runtimes) {
    out.push(rt.record);
    if (rt.fanOut) for (const unit of rt.units) out.push(unit.record);
    // A group: then its instances' inner steps, instance by instance, iteration by iteration.
    const state = rt.groupState;
    if (state) for (const iterations of state.slots) for (const instance of iterations) collectStepRecords(instance.runtimes, out);
    // A follow-up template: then its tasks, by their creator's position (not by when they were created).
    if (rt.spawned) for (const task of [...rt.spawned].sort(comparePosition)) out.push(task.record);
  }
  return out;
}

function totalUsage(records: readonly StepRecord[]): RunRecord['usage'] {
  let usage: RunRecord['usage'];
  for (const r of records) {
    if (!r.usage) continue;
    usage ??= { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0, byProvider: {} };
    usage.inputTokens += r.usage.inputTokens;
    usage.outputTokens += r.usage.outputTokens;
    usage.costUsd += r.usage.costUsd;
    usage.calls += r.usage.calls;
    // A unit that fell back between providers cannot be split per provider: it is filed under all of them joined.
    const name = r.usage.providers.join('+') || 'unknown';
    const p = (usage.byProvider[name] ??= { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
    p.calls += r.usage.calls;
    p.inputTokens += r.usage.inputTokens;
    p.outputTokens += r.usage.outputTokens;
    p.costUsd += r.usage.costUsd;
    for (const f of r.usage.fallbacks ?? []) addFallbackCount((usage.fallbacks ??= []), f.from, f.to, f.code, f.count);
  }
  return usage;
}

/**
 * The records of the top-level runtimes (in plan order) as {@link collectStepRecords} lists them, with each
 * record's top-level plan position (-1 for the records of group instances and follow-up tasks), so that the
 * metrics need not look the steps up by id.
 */
function collectWithPositions(runtimes: readonly StepRuntime[]): { steps: StepRecord[]; positions: Int32Array } {
  const steps: StepRecord[] = [];
  let positions = new Int32Array(runtimes.length);
  const one: StepRuntime[] = [];
  for (let o = 0; o < runtimes.length; o += 1) {
    const rt = runtimes[o]!;
    const from = steps.length;
    if (!rt.fanOut && rt.groupState === undefined && rt.spawned === undefined) steps.push(rt.record);
    else {
      one[0] = rt;
      collectStepRecords(one, steps);
    }
    if (steps.length > positions.length) {
      const grown = new Int32Array(Math.max(steps.length, positions.length * 2));
      grown.set(positions);
      positions = grown;
    }
    // The step's own record and its fan-out items are at its position; what follows them (group instances, tasks) is not.
    const own = from + 1 + (rt.fanOut ? rt.units.length : 0);
    for (let i = from; i < steps.length; i += 1) positions[i] = i < own ? o : -1;
  }
  return { steps, positions: positions.subarray(0, steps.length) };
}

/** The run record (`run.json`) for a given status. */
export function buildRunRecord<S extends RunStatus | 'running'>(input: RunRecordInput, status: S): Omit<RunRecord, 'status'> & { status: S } {
  const { steps, positions } = collectWithPositions(input.runtimes);
  const usage = totalUsage(steps);
  return {
    schemaVersion: 1,
    runId: input.runId,
    workflow: input.plan.workflow,
    file: input.plan.file,
    engine: input.engine,
    status,
    startedAt: input.startedAt,
    wallMs: input.wallMs,
    maxParallel: input.maxParallel,
    inputs: input.inputs,
    outputs: input.outputs,
    steps,
    errors: [...input.errors],
    metrics: computeRunMetrics(input.plan, steps, input.wallMs, input.maxParallel, { runtimes: input.runtimes, positions }),
    ...(usage ? { usage } : {}),
  };
}
