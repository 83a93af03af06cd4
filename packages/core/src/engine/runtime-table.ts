import type { CompiledPlan } from '../plan/plan-types.ts';
import { createStepRuntime, type StepRuntime } from './step-runtime.ts';

/**
 * Every runtime of a run, and how many are not complete yet. Runtimes of inner steps of group instances and
 * follow-up tasks are registered as they are created. Those of the top-level steps are each created the
 * first time something needs it: the run's start
 * (its roots), a dependency finishing, the record. Creating all of them up front cost 1-3 µs per step before
 * the first step could start (15-30 ms for 10,000 steps); created on demand, the first step starts after the
 * roots alone, and a run that stops early never builds the runtimes of what it did not reach (the record
 * builds those at the end, see {@link inPlanOrder}).
 *
 * A runtime's `deps` are filled when it opens (see {@link resolveDeps}): its dependencies are final then,
 * so they exist. Its plan dependents are not copied into `dependents` (which holds only the runtimes that
 * wait on it from outside the plan: follow-up tasks); see {@link planDependents}.
 */
export class RuntimeTable {
  readonly #plan: CompiledPlan;
  readonly #byId = new Map<string, StepRuntime>();
  /** Runtimes registered (groups' inner steps, follow-up tasks), in creation order. */
  readonly registered: StepRuntime[] = [];
  /** Runtimes not complete yet, all levels: the top-level ones count from the start, created or not. */
  pending: number;
  /** Every runtime by its stable id (kept only when the plan has follow-up templates, whose targets name them). */
  #index: Map<string, StepRuntime> | undefined;
  /** Told of every runtime created, once indexing is on (follow-up targets wait for theirs). */
  #created: ((rt: StepRuntime) => void) | undefined;

  constructor(plan: CompiledPlan) {
    this.#plan = plan;
    this.pending = plan.order.length;
  }

  /** Counts a runtime just created below the top level (an inner step of a new instance, a follow-up task). */
  register(rt: StepRuntime): void {
    this.pending += 1;
    this.registered.push(rt);
    this.#noteCreated(rt);
  }

  /**
   * From now on every runtime is kept by its stable id, and `created` is told of each new one (follow-up
   * tasks wait for their targets by id).
   */
  indexAll(created: (rt: StepRuntime) => void): void {
    this.#index = new Map(this.#byId);
    for (const rt of this.registered) this.#index.set(rt.step.id, rt);
    this.#created = created;
  }

  /** A runtime by its stable id: a top-level step's (created if need be), or an indexed one. */
  byStableId(id: string): StepRuntime | undefined {
    return this.#index?.get(id) ?? (Object.hasOwn(this.#plan.steps, id) ? this.get(id) : undefined);
  }

  /** The one pass over every step: the agents the plan uses, and its follow-up templates' runtimes. */
  survey(): { agents: Set<string>; templates: StepRuntime[] } {
    const agents = new Set<string>();
    const templates: StepRuntime[] = [];
    for (const id of this.#plan.order) {
      const step = this.#plan.steps[id]!;
      agents.add(step.agent);
      if (step.followUp !== undefined) templates.push(this.get(id));
    }
    return { agents, templates };
  }

  #noteCreated(rt: StepRuntime): void {
    this.#index?.set(rt.step.id, rt);
    this.#created?.(rt);
  }

  /** The runtime of a top-level step, created now if it does not exist yet. */
  get(id: string): StepRuntime {
    let rt = this.#byId.get(id);
    if (rt === undefined) {
      rt = createStepRuntime(this.#plan.steps[id]!);
      this.#byId.set(id, rt);
      this.#noteCreated(rt);
    }
    return rt;
  }

  /** Steps without dependencies (the plan's first parallel group), follow-up templates left out. */
  roots(): StepRuntime[] {
    const roots: StepRuntime[] = [];
    for (const id of this.#plan.groups[0] ?? []) if (this.#plan.steps[id]!.followUp === undefined) roots.push(this.get(id));
    return roots;
  }

  /** Every top-level runtime in plan order (creating those never reached, still pending). */
  inPlanOrder(): StepRuntime[] {
    return this.#plan.order.map((id) => this.get(id));
  }

  /** Every runtime: the top-level ones in plan order, then the registered ones in creation order. */
  everything(): StepRuntime[] {
    return [...this.inPlanOrder(), ...this.registered];
  }

  /** A top-level runtime finished: those of its plan dependents whose last dependency it was go on `work`. */
  releaseDependents(rt: StepRuntime, work: StepRuntime[]): void {
    if (rt.frame !== undefined || rt.task !== undefined) return;
    for (const id of rt.step.dependents) {
      const d = this.get(id);
      d.pendingDeps -= 1;
      if (d.pendingDeps === 0) work.push(d);
    }
  }

  /** Fills a top-level runtime's `deps` when it opens (its dependencies are final, hence created). */
  resolveDeps(rt: StepRuntime): void {
    const ids = rt.step.dependencies;
    if (rt.frame !== undefined || rt.task !== undefined || rt.deps.length === ids.length) return;
    rt.deps = ids.map((d) => this.get(d));
  }

}
