import type { WorkflowDocument } from './workflow-document.ts';
import type { WorkflowExpressions } from './workflow-expressions.ts';
import { stepEntries } from './step-entries.ts';

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
    const entries = stepEntries(doc);
    graph = buildStepGraph(
      entries.map(([id]) => id),
      (id, add, i) => {
        for (const need of entries[i]![1].needs ?? []) add(need);
        for (const ref of expressions.steps.get(id)?.references ?? []) if (ref.root === 'steps' && ref.name !== undefined) add(ref.name);
      },
    );
    cache.set(doc, graph);
  }
  return graph;
}

/** The step graph of given dependency lists (names that are not steps are left out). */
export function stepGraphOf(ids: readonly string[], dependencies: ReadonlyMap<string, readonly string[]>): StepGraph {
  return buildStepGraph(ids, (id, add) => {
    for (const dep of dependencies.get(id) ?? []) add(dep);
  });
}

function buildStepGraph(ids: readonly string[], each: (id: string, add: (name: string) => void, i: number) => void): StepGraph {
  const n = ids.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i += 1) index.set(ids[i]!, i);
  const depStart = new Int32Array(n + 1);
  const outdegree = new Int32Array(n);
  let flat: number[] = [];
  // One scratch list for every step: the graph allocates per edge, not per step.
  const current: number[] = [];
  const add = (name: string): void => {
    const d = index.get(name);
    if (d !== undefined && !current.includes(d)) current.push(d);
  };
  for (let i = 0; i < n; i += 1) {
    current.length = 0;
    each(ids[i]!, add, i);
    if (current.length > 1) current.sort((a, b) => a - b);
    for (const d of current) {
      outdegree[d]! += 1;
      flat.push(d);
    }
    depStart[i + 1] = flat.length;
  }
  const deps = Int32Array.from(flat);
  flat = [];
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
