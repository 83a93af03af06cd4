/**
 * The floor the scale benchmark compares ucop against: the least work any engine must do to run a DAG of
 * no-op steps, written as plainly as possible (no checks, no record, no events, no timeouts). It is the
 * "ideal list scheduling" column of issue 16: its time and memory are what ucop's figures are divided by.
 * Written by hand on purpose: it must be the minimum, so it cannot be a library with features of its own.
 */

/** A DAG as index arrays: step i's dependents are `dependents[offsets[i] .. offsets[i + 1])`. */
export interface FloorGraph {
  ids: string[];
  /** Dependencies of each step (the in-degree the scheduler counts down). */
  indegree: Int32Array;
  offsets: Int32Array;
  dependents: Int32Array;
}

/** A no-op task of the floor: called once per step, like an agent. */
export type FloorTask = (index: number) => Promise<unknown>;

const STEP_REFERENCE = /steps\.([A-Za-z_][A-Za-z0-9_-]*)/g;

function collectReferences(value: unknown, into: string[]): void {
  if (typeof value === 'string') {
    if (value.includes('${{')) for (const match of value.matchAll(STEP_REFERENCE)) into.push(match[1]!);
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collectReferences(item, into);
  }
}

/**
 * The floor's "validate + compile": reads a workflow written as JSON (the cheapest text to parse: the
 * runtime's own JSON.parse), takes each step's `needs` and the `steps.X` it references in `with`, builds
 * the index arrays and checks that a topological order exists (Kahn). Nothing else is checked.
 * @throws Error on a cycle or an unknown dependency
 */
export function floorCompile(jsonText: string): FloorGraph {
  const doc = JSON.parse(jsonText) as { steps: Record<string, { needs?: string[]; with?: unknown }> };
  const ids = Object.keys(doc.steps);
  const index = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 1) index.set(ids[i]!, i);
  const deps: number[][] = [];
  const indegree = new Int32Array(ids.length);
  const outdegree = new Int32Array(ids.length + 1);
  for (let i = 0; i < ids.length; i += 1) {
    const step = doc.steps[ids[i]!]!;
    const names = step.needs ? [...step.needs] : [];
    collectReferences(step.with, names);
    const list: number[] = [];
    for (const name of names) {
      const d = index.get(name);
      if (d === undefined) throw new Error(`step ${ids[i]} depends on unknown ${name}`);
      if (!list.includes(d)) list.push(d);
    }
    deps.push(list);
    indegree[i] = list.length;
    for (const d of list) outdegree[d + 1]! += 1;
  }
  const offsets = new Int32Array(ids.length + 1);
  for (let i = 0; i < ids.length; i += 1) offsets[i + 1] = offsets[i]! + outdegree[i + 1]!;
  const fill = offsets.slice(0, ids.length);
  const dependents = new Int32Array(offsets[ids.length]!);
  for (let i = 0; i < ids.length; i += 1) for (const d of deps[i]!) dependents[fill[d]!++] = i;
  const graph = { ids, indegree, offsets, dependents };
  if (floorOrder(graph).length !== ids.length) throw new Error('the graph has a cycle');
  return graph;
}

/** Kahn's algorithm over the index arrays: a topological order (shorter than the graph on a cycle). */
export function floorOrder(graph: FloorGraph): Int32Array {
  const n = graph.ids.length;
  const missing = graph.indegree.slice();
  const order = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i += 1) if (missing[i] === 0) order[tail++] = i;
  for (let head = 0; head < tail; head += 1) {
    const i = order[head]!;
    for (let k = graph.offsets[i]!; k < graph.offsets[i + 1]!; k += 1) {
      const d = graph.dependents[k]!;
      if (--missing[d]! === 0) order[tail++] = d;
    }
  }
  return order.subarray(0, tail);
}

/** The floor graph of a compiled plan's steps (for the engine-only comparison: no text to read). */
export function floorGraphOf(steps: Readonly<Record<string, { dependencies: readonly string[] }>>): FloorGraph {
  const ids = Object.keys(steps);
  const needs: Record<string, { needs: string[] }> = {};
  for (const id of ids) needs[id] = { needs: [...steps[id]!.dependencies] };
  return floorCompile(JSON.stringify({ steps: needs }));
}

/**
 * The floor's run: list scheduling on `slots` slots. A step starts the moment its last dependency finishes
 * and a slot is free (first ready, first started); its task is awaited and its output kept (what any engine
 * must do for the steps that read it); nothing else is recorded.
 * @returns ms from the call to the first task's start
 */
export function floorRun(graph: FloorGraph, slots: number, task: FloorTask): Promise<{ firstStartMs: number }> {
  const t0 = performance.now();
  const n = graph.ids.length;
  const missing = graph.indegree.slice();
  const ready = new Int32Array(n);
  let tail = 0;
  let head = 0;
  let running = 0;
  let done = 0;
  let firstStartMs = -1;
  // What any engine must keep: each step's output, for the steps that read it.
  const outputs = new Array<unknown>(n);
  for (let i = 0; i < n; i += 1) if (missing[i] === 0) ready[tail++] = i;
  return new Promise((resolve, reject) => {
    const execute = async (i: number): Promise<void> => {
      outputs[i] = await task(i);
      finish(i);
    };
    const finish = (i: number): void => {
      running -= 1;
      done += 1;
      for (let k = graph.offsets[i]!; k < graph.offsets[i + 1]!; k += 1) {
        const d = graph.dependents[k]!;
        if (--missing[d]! === 0) ready[tail++] = d;
      }
      pump();
    };
    const pump = (): void => {
      while (running < slots && head < tail) {
        const i = ready[head++]!;
        running += 1;
        if (firstStartMs < 0) firstStartMs = performance.now() - t0;
        execute(i).catch(reject);
      }
      if (done === n) resolve({ firstStartMs: Math.max(0, firstStartMs) });
    };
    pump();
  });
}
