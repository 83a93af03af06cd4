import type { CheckContext } from './check-context.ts';
import { reporter } from './check-context.ts';
import { stepGraph, stepGraphOf, type StepGraph } from './step-graph.ts';

/**
 * DAG_CYCLE: steps that depend on each other in a circle can never start. Each cycle is reported once
 * (one per strongly connected component), as the whole path from the step that comes first in the file
 * back to itself, each step with its line. An arrow goes from a step to one that depends on it.
 */
export function checkCycles(ctx: CheckContext): void {
  const r = reporter(ctx);
  for (const cycle of cyclesOf(stepGraph(ctx.doc, ctx.expressions))) {
    const path = [...cycle, cycle[0]!].map((id, i) => (i === cycle.length ? id : `${id} (line ${r.stepLine(id)})`)).join(' -> ');
    r.atKey('DAG_CYCLE', ['steps', cycle[0]!], `dependency cycle: ${path}: remove one of these dependencies (from \`needs\` or from a \`steps.X\` reference)`);
  }
}

/**
 * One cycle per strongly connected component that has one. Each cycle starts at its member that comes
 * first in the file and follows dependents: `a -> b` means b depends on a.
 */
export function findCycles(dependencies: ReadonlyMap<string, readonly string[]>, fileOrder: readonly string[]): string[][] {
  return cyclesOf(stepGraphOf(fileOrder, dependencies));
}

/** {@link findCycles} on a step graph: Tarjan's algorithm over its index arrays, iterative (no deep stack). */
export function cyclesOf(graph: StepGraph): string[][] {
  const cycles: number[][] = [];
  for (const component of stronglyConnected(graph)) {
    const start = component.reduce((a, b) => Math.min(a, b));
    cycles.push(component.length === 1 ? [start] : shortestCycle(graph, start, new Set(component)));
  }
  return cycles.sort((a, b) => a[0]! - b[0]!).map((cycle) => cycle.map((i) => graph.ids[i]!));
}

function hasSelfLoop(graph: StepGraph, i: number): boolean {
  for (let k = graph.depStart[i]!; k < graph.depStart[i + 1]!; k += 1) if (graph.deps[k] === i) return true;
  return false;
}

/** Breadth-first from `start` inside its component back to `start`; neighbours in file order. */
function shortestCycle(graph: StepGraph, start: number, members: ReadonlySet<number>): number[] {
  const parent = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (let k = graph.dependentStart[node]!; k < graph.dependentStart[node + 1]!; k += 1) {
      const n = graph.dependents[k]!;
      if (!members.has(n)) continue;
      if (n === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(parent.get(path[0]!)!);
        return path;
      }
      if (!parent.has(n)) {
        parent.set(n, node);
        queue.push(n);
      }
    }
  }
  return [start];
}

/** The strongly connected components that hold a cycle: several members, or one that depends on itself. */
function stronglyConnected(graph: StepGraph): number[][] {
  const n = graph.ids.length;
  const indexOf = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: number[][] = [];
  // Explicit work stack: node and the position of the next dependent to visit.
  const workNode = new Int32Array(n);
  const workNext = new Int32Array(n);
  let counter = 0;
  for (let root = 0; root < n; root += 1) {
    if (indexOf[root] !== -1) continue;
    let depth = 0;
    workNode[0] = root;
    workNext[0] = graph.dependentStart[root]!;
    indexOf[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (depth >= 0) {
      const node = workNode[depth]!;
      if (workNext[depth]! < graph.dependentStart[node + 1]!) {
        const child = graph.dependents[workNext[depth]!++]!;
        if (indexOf[child] === -1) {
          indexOf[child] = low[child] = counter++;
          stack.push(child);
          onStack[child] = 1;
          depth += 1;
          workNode[depth] = child;
          workNext[depth] = graph.dependentStart[child]!;
        } else if (onStack[child]) {
          low[node] = Math.min(low[node]!, indexOf[child]!);
        }
        continue;
      }
      depth -= 1;
      if (depth >= 0) {
        const parent = workNode[depth]!;
        low[parent] = Math.min(low[parent]!, low[node]!);
      }
      if (low[node] === indexOf[node]) {
        let member = stack.pop()!;
        onStack[member] = 0;
        // A component of one (the usual case in a DAG) costs no array beyond this one.
        if (member === node) {
          if (hasSelfLoop(graph, member)) components.push([member]);
          continue;
        }
        const component = [member];
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component.push(member);
        } while (member !== node);
        components.push(component);
      }
    }
  }
  return components;
}
