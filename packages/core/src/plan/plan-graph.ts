import { DirectedGraph } from 'graphology';
import { topologicalGenerations } from 'graphology-dag';
import { UcopError } from '../errors/ucop-error.ts';

/**
 * The step graph: one node per step, an edge from each dependency to the step that needs it. Nodes are
 * added in file order, so that iteration (and ties everywhere) follows the file.
 */
export function buildPlanGraph(fileOrder: readonly string[], dependencies: ReadonlyMap<string, readonly string[]>): DirectedGraph {
  const graph = new DirectedGraph({ allowSelfLoops: true });
  for (const id of fileOrder) graph.addNode(id);
  for (const id of fileOrder) for (const dep of dependencies.get(id) ?? []) graph.addDirectedEdge(dep, id);
  return graph;
}

/**
 * The parallel groups: generation k holds the steps whose longest chain of dependencies has k steps
 * (graphology-dag's topological generations), each group in file order.
 * @throws UcopError DAG_CYCLE when the graph has a cycle.
 */
export function parallelGroups(graph: DirectedGraph, fileOrder: readonly string[]): string[][] {
  let generations: string[][];
  try {
    generations = topologicalGenerations(graph);
  } catch (error) {
    // graphology-dag throws a plain Error on a cyclic graph; it checks nothing else.
    throw new UcopError('DAG_CYCLE', 'the step graph has a cycle: validate the workflow to see it', { cause: error });
  }
  const position = new Map(fileOrder.map((id, i) => [id, i]));
  return generations.map((group) => group.sort((a, b) => position.get(a)! - position.get(b)!));
}
