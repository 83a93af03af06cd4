import type { StepGraph } from '../dsl/step-graph.ts';

/**
 * The parallel groups (topological generations): group k holds the steps whose longest chain of
 * dependencies has k steps, each group in file order. One pass in topological order over the step graph's
 * index arrays (see step-graph.ts for why not a graph library).
 * @param order a topological order of the graph's steps (file positions), e.g. from topologicalOrderOf
 * @returns the groups, and the group of each step by file position
 */
export function parallelGroups(graph: StepGraph, order: Int32Array): { groups: string[][]; groupOf: Int32Array } {
  const n = graph.ids.length;
  const level = new Int32Array(n);
  let levels = n === 0 ? 0 : 1;
  for (let o = 0; o < order.length; o += 1) {
    const i = order[o]!;
    let l = 0;
    for (let k = graph.depStart[i]!; k < graph.depStart[i + 1]!; k += 1) l = Math.max(l, level[graph.deps[k]!]! + 1);
    level[i] = l;
    if (l + 1 > levels) levels = l + 1;
  }
  const groups: string[][] = Array.from({ length: levels }, () => []);
  for (let i = 0; i < n; i += 1) groups[level[i]!]!.push(graph.ids[i]!);
  return { groups, groupOf: level };
}
