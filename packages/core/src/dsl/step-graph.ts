import type { WorkflowDocument } from './workflow-document.ts';
import type { WorkflowExpressions } from './workflow-expressions.ts';
import { stepList } from './step-entries.ts';

/**
 * The step graph of a workflow as index arrays, built in one pass over the steps and shared by the checks
 * (cycles) and the compiler (order, groups, critical path). Step i is the i-th step of the file; the
 * dependencies of i are `deps[depStart[i] .. depStart[i + 1])` and its dependents
 * `dependents[dependentStart[i] .. dependentStart[i + 1])`, both ascending (file order).
 *
 * Dependencies are a step's `needs` plus every step referenced as `steps.X` in its `with`, `if` or
 * `for_each`; only existing steps are kept (unknown ones are reported by the reference checks); a step that
 * references itself keeps the self-edge, which the cycle check reports.
 *
 * Hand-written rather than a graph library: a library graph keys every edge by a string and hashes it
 * (graphology spent ~9 µs per step on a 50,000-step workflow), while these arrays cost a few bytes per edge
 * and every pass over them is a loop over integers.
 */
export interface StepGraph {
  /** Step ids in file order. */
  readonly ids: readonly string[];
  /** File position of each step id. */
  readonly index: ReadonlyMap<string, number>;
  readonly depStart: Int32Array;
  readonly deps: Int32Array;
  readonly dependentStart: Int32Array;
  readonly dependents: Int32Array;
  /**
   * The dependencies of each step by id, in file order (what the checks read). Built on first use only:
   * the compiler and most workflows' checks read the arrays. Never mutated.
   */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
}

const cache = new WeakMap<WorkflowDocument, StepGraph>();

/** Shared by every step without dependencies. */
const NO_DEPENDENCIES: readonly string[] = Object.freeze([]);

/** The step graph of a document, computed once and shared by its validation and its compilation. */
export function stepGraph(doc: WorkflowDocument, expressions: WorkflowExpressions): StepGraph {
  let graph = cache.get(doc);
  if (!graph) {
    const { ids, specs } = stepList(doc);
    const byIndex = expressions.byIndex;
    graph = buildStepGraph(ids, (builder, i) => {
      const needs = specs[i]!.needs;
      if (needs) for (let k = 0; k < needs.length; k += 1) builder.add(needs[k]!);
      const references = byIndex[i]?.references;
      if (references) {
        for (let k = 0; k < references.length; k += 1) {
          const ref = references[k]!;
          if (ref.root === 'steps' && ref.name !== undefined) builder.add(ref.name);
        }
      }
    });
    cache.set(doc, graph);
  }
  return graph;
}

/** The step graph of given dependency lists (names that are not steps are left out). */
export function stepGraphOf(ids: readonly string[], dependencies: ReadonlyMap<string, readonly string[]>): StepGraph {
  return buildStepGraph(ids, (builder, i) => {
    for (const dep of dependencies.get(ids[i]!) ?? []) builder.add(dep);
  });
}

/**
 * Collects the dependencies of one step at a time into a growing flat list; a step's own ones sit at the end
 * of it, from `from`, with no scratch list per step (the graph allocates per edge, not per step). `addedBy`
 * marks each dependency with the step that last added it (plus one), so a repeated name costs one read,
 * however many dependencies the step has.
 */
class EdgeBuilder {
  flat: number[] = [];
  from = 0;
  step = 0;
  readonly addedBy: Int32Array;
  readonly index: ReadonlyMap<string, number>;
  constructor(index: ReadonlyMap<string, number>, steps: number) {
    this.index = index;
    this.addedBy = new Int32Array(steps);
  }

  add(name: string): void {
    const d = this.index.get(name);
    if (d === undefined || this.addedBy[d] === this.step + 1) return;
    this.addedBy[d] = this.step + 1;
    this.flat.push(d);
  }
}

function buildStepGraph(ids: readonly string[], each: (builder: EdgeBuilder, i: number) => void): StepGraph {
  const n = ids.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i += 1) index.set(ids[i]!, i);
  const depStart = new Int32Array(n + 1);
  const outdegree = new Int32Array(n);
  const builder = new EdgeBuilder(index, n);
  for (let i = 0; i < n; i += 1) {
    builder.from = builder.flat.length;
    builder.step = i;
    each(builder, i);
    const flat = builder.flat;
    if (flat.length - builder.from > 1) sortRange(flat, builder.from, flat.length);
    for (let k = builder.from; k < flat.length; k += 1) outdegree[flat[k]!]! += 1;
    depStart[i + 1] = flat.length;
  }
  const deps = Int32Array.from(builder.flat);
  builder.flat = [];
  const dependentStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i += 1) dependentStart[i + 1] = dependentStart[i]! + outdegree[i]!;
  const fill = dependentStart.slice(0, n);
  const dependents = new Int32Array(deps.length);
  // Steps in ascending order, so each step's dependents come out ascending too.
  for (let i = 0; i < n; i += 1) for (let k = depStart[i]!; k < depStart[i + 1]!; k += 1) dependents[fill[deps[k]!]!++] = i;
  let dependencies: Map<string, readonly string[]> | undefined;
  return {
    ids,
    index,
    depStart,
    deps,
    dependentStart,
    dependents,
    get dependencies(): ReadonlyMap<string, readonly string[]> {
      if (!dependencies) {
        dependencies = new Map();
        for (let i = 0; i < n; i += 1) dependencies.set(ids[i]!, dependencyNames(this, i));
      }
      return dependencies;
    },
  };
}

/** The ids of step i's dependencies, in file order (a shared empty list when it has none). */
export function dependencyNames(graph: Pick<StepGraph, 'ids' | 'depStart' | 'deps'>, i: number): readonly string[] {
  const from = graph.depStart[i]!;
  const to = graph.depStart[i + 1]!;
  if (from === to) return NO_DEPENDENCIES;
  const names = new Array<string>(to - from);
  for (let k = from; k < to; k += 1) names[k - from] = graph.ids[graph.deps[k]!]!;
  return names;
}

/** Sorts `list[from..to)` in place: by insertion for the handful of dependencies most steps have. */
function sortRange(list: number[], from: number, to: number): void {
  if (to - from > 16) {
    const sorted = list.slice(from, to).sort((a, b) => a - b);
    for (let k = from; k < to; k += 1) list[k] = sorted[k - from]!;
    return;
  }
  for (let k = from + 1; k < to; k += 1) {
    const value = list[k]!;
    let j = k - 1;
    while (j >= from && list[j]! > value) {
      list[j + 1] = list[j]!;
      j -= 1;
    }
    list[j + 1] = value;
  }
}
