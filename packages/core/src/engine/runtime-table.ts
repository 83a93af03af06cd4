import type { CompiledPlan } from '../plan/plan-types.ts';
import { createStepRuntime, type StepRuntime } from './step-runtime.ts';

/**
 * The runtimes of a run's top-level steps, each created the first time something needs it: the run's start
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
  readonly #created: (rt: StepRuntime) => void;

  /** @param created told of every runtime as it is created */
  constructor(plan: CompiledPlan, created: (rt: StepRuntime) => void) {
    this.#plan = plan;
    this.#created = created;
  }

  /** Whether `id` names a top-level step of the plan. */
  has(id: string): boolean {
    return Object.hasOwn(this.#plan.steps, id);
  }

  /** The runtime of a top-level step, created now if it does not exist yet. */
  get(id: string): StepRuntime {
    let rt = this.#byId.get(id);
    if (rt === undefined) {
      rt = createStepRuntime(this.#plan.steps[id]!);
      this.#byId.set(id, rt);
      this.#created(rt);
    }
    return rt;
  }

  /** The runtime of a top-level step if it was created. */
  find(id: string): StepRuntime | undefined {
    return this.#byId.get(id);
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

  /** Fills a top-level runtime's `deps` when it opens (its dependencies are final, hence created). */
  resolveDeps(rt: StepRuntime): void {
    const ids = rt.step.dependencies;
    if (rt.frame !== undefined || rt.task !== undefined || rt.deps.length === ids.length) return;
    rt.deps = ids.map((d) => this.get(d));
  }

  /** The runtimes of a top-level step's plan dependents (created if need be). */
  planDependents(rt: StepRuntime): StepRuntime[] {
    return rt.step.dependents.map((d) => this.get(d));
  }
}
