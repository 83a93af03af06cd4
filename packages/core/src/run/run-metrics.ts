import type { CompiledPlan } from '../plan/plan-types.ts';
import type { RunMetrics, StepRecord } from './run-record.ts';

/** Time a unit spent waiting inside its span: backoff before retries and rate-limit waits are not work. */
function waitsOf(r: StepRecord): { backoffMs: number; rateLimitMs: number } {
  return { backoffMs: r.backoffMs ?? 0, rateLimitMs: r.usage?.rateLimitWaitMs ?? 0 };
}

/** A unit's working time: its span less the waits inside it. */
function duration(r: StepRecord): number {
  if (r.startMs === undefined || r.endMs === undefined || r.resumed) return 0;
  const w = waitsOf(r);
  return Math.max(0, r.endMs - r.startMs - w.backoffMs - w.rateLimitMs);
}

/**
 * The run's figures from its step records (fan-out steps: one aggregate record without `itemIndex`, then
 * one per item).
 * - sumStepMs: the working time of every executed unit (a fan-out step counts through its items): its span
 *   less its backoff sleeps and rate-limit waits, which are reported apart in `waits`.
 * - criticalPath: the longest dependency chain by actual durations; a fan-out step weighs as its longest
 *   item (the least time the step could have taken with unlimited slots).
 * - lowerBoundMs = max(critical path, sumStepMs / maxParallel): no schedule on `maxParallel` slots can be
 *   faster; efficiency = lowerBoundMs / wallMs.
 */
export function computeRunMetrics(plan: Pick<CompiledPlan, 'steps' | 'order'>, records: readonly StepRecord[], wallMs: number, maxParallel: number, known?: KnownSteps): RunMetrics {
  // Figures per top-level step in typed arrays indexed by plan position, not maps keyed by id: a 10,000-step
  // record took 10-25 ms with maps (most of it growing them), a few with arrays. Each loop is a function of
  // its own: the record is built once or twice per run, so these loops run optimised only through on-stack
  // replacement, and one function holding them all was thrown back to the interpreter on reaching the code
  // after its first loop (no type feedback there yet): 20-30 ms for 10,000 steps instead of a few.
  const n = plan.order.length;
  const positionOf = new PlanPositions(plan);
  const weight = new Float64Array(n);
  const waits = { queueMs: 0, rateLimitMs: 0, backoffMs: 0 };
  const sumStepMs = weighRecords(plan, records, known, positionOf, weight, waits);
  const { path, criticalMs } = longestChain(plan, known, positionOf, weight);
  const lowerBoundMs = Math.max(criticalMs, maxParallel > 0 ? sumStepMs / maxParallel : sumStepMs);
  return {
    sumStepMs,
    speedup: wallMs > 0 ? sumStepMs / wallMs : 1,
    criticalPath: { steps: path, ms: criticalMs },
    lowerBoundMs,
    efficiency: wallMs > 0 ? lowerBoundMs / wallMs : 1,
    waits,
  };
}

/** Sets each top-level step's weight (by plan position) and adds up the waits. @returns sumStepMs */
function weighRecords(plan: Pick<CompiledPlan, 'steps' | 'order'>, records: readonly StepRecord[], known: KnownSteps | undefined, positionOf: PlanPositions, weight: Float64Array, waits: NonNullable<RunMetrics['waits']>): number {
  let sumStepMs = 0;
  // Fan-out steps inside groups are not in plan.steps: their items name them.
  const withItems = recordsWithItems(records);
  const tops = known?.runtimes;
  for (let i = 0; i < records.length; i += 1) {
    const r = records[i]!;
    const position = known === undefined ? -1 : known.positions[i]!;
    let step: MetricsStep | undefined;
    let at: number;
    if (position >= 0) {
      step = tops![position]!.step;
      at = position;
    } else {
      step = Object.hasOwn(plan.steps, r.id) ? plan.steps[r.id] : undefined;
      // Only top-level steps weigh on the critical path; the others count in the sums alone.
      at = step === undefined ? -1 : positionOf.of(r.id, step);
    }
    const isFanOutParent = r.itemIndex === undefined && (step?.forEach !== undefined || withItems?.has(r.id) === true);
    if (isFanOutParent) continue;
    // A group (or a follow-up template) does no work itself: its span weighs on the critical path only.
    if (step?.body !== undefined || step?.followUp !== undefined || r.agent === 'group' || r.agent.startsWith('uses:')) {
      if (at >= 0) weight[at] = duration(r);
      continue;
    }
    const d = duration(r);
    sumStepMs += d;
    if (!r.resumed) {
      const w = waitsOf(r);
      waits.queueMs += r.queueWaitMs ?? 0;
      waits.rateLimitMs += w.rateLimitMs;
      waits.backoffMs += w.backoffMs;
    }
    if (at >= 0 && d > weight[at]!) weight[at] = d;
  }
  return sumStepMs;
}

/** The ids of the steps some record is a fan-out item of; undefined when there is none. */
function recordsWithItems(records: readonly StepRecord[]): Set<string> | undefined {
  let withItems: Set<string> | undefined;
  for (const r of records) if (r.itemIndex !== undefined) (withItems ??= new Set()).add(r.id);
  return withItems;
}

/** The longest dependency chain of top-level steps by weight. */
function longestChain(plan: Pick<CompiledPlan, 'steps' | 'order'>, known: KnownSteps | undefined, positionOf: PlanPositions, weight: Float64Array): { path: string[]; criticalMs: number } {
  const n = plan.order.length;
  const tops = known?.runtimes;
  const finish = new Float64Array(n);
  const via = new Int32Array(n).fill(-1);
  let end = -1;
  for (let o = 0; o < n; o += 1) {
    let best = 0;
    let from = -1;
    const top = tops?.[o];
    const ids = top === undefined ? plan.steps[plan.order[o]!]!.dependencies : top.step.dependencies;
    // The runtimes a top-level step resolved its dependencies to, when it opened (in the same order).
    const resolved = top !== undefined && top.deps.length === ids.length ? top.deps : undefined;
    for (let k = 0; k < ids.length; k += 1) {
      const dep = ids[k]!;
      const order = resolved?.[k]!.step.order;
      const d = order !== undefined && tops![order] === resolved![k] ? order : positionOf.of(dep, plan.steps[dep]);
      // A dependency later in plan order has no finish yet (counts 0), as one that is not a step.
      const f = d >= 0 ? finish[d]! : 0;
      if (f > best) {
        best = f;
        from = d;
      }
    }
    const f = best + weight[o]!;
    finish[o] = f;
    via[o] = from;
    if (end < 0 || f > finish[end]!) end = o;
  }
  return { path: chainOf(plan, via, end), criticalMs: end < 0 ? 0 : finish[end]! };
}

function chainOf(plan: Pick<CompiledPlan, 'order'>, via: Int32Array, end: number): string[] {
  const path: string[] = [];
  for (let o = end; o >= 0; o = via[o]!) path.push(plan.order[o]!);
  return path.reverse();
}

type MetricsStep = CompiledPlan['steps'][string];

/**
 * What the record builder already knows, so that the figures need not look every step up by id (a keyed
 * lookup per record and per dependency was most of their cost: 5-10 ms for 10,000 steps).
 */
export interface KnownSteps {
  /** The top-level runtimes in plan order: `runtimes[o]` is the step at `plan.order[o]`, with the runtimes its dependencies resolved to. */
  readonly runtimes: readonly { readonly step: MetricsStep; readonly deps: readonly { readonly step: { readonly order?: number } }[] }[];
  /** Per record (same index): the plan position of the top-level step it belongs to (its own record or a fan-out item's), or -1 to look it up by id. */
  readonly positions: ArrayLike<number>;
}

/**
 * A top-level step's position in `plan.order`: its `order` field, checked (a compiled plan's always agrees);
 * a plan whose steps do not carry it (hand-made in a test) is indexed once. -1 for what is not in the order.
 * A class rather than a closure made per call: the loops that call it are optimised while they run, and a
 * new closure each time was a new call target, which threw them back to the interpreter.
 */
class PlanPositions {
  readonly #plan: Pick<CompiledPlan, 'steps' | 'order'>;
  #index: Map<string, number> | undefined;

  constructor(plan: Pick<CompiledPlan, 'steps' | 'order'>) {
    this.#plan = plan;
  }

  of(id: string, step: { order?: number } | undefined): number {
    const o = step?.order;
    if (o !== undefined && this.#plan.order[o] === id) return o;
    this.#index ??= new Map(this.#plan.order.map((s, i) => [s, i]));
    return this.#index.get(id) ?? -1;
  }
}
