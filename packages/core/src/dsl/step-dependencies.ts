import { stepGraph } from './step-graph.ts';
import type { WorkflowDocument } from './workflow-document.ts';
import type { WorkflowExpressions } from './workflow-expressions.ts';

/**
 * The dependencies of every step: its `needs` plus every step referenced as `steps.X` in its `with`, `if`
 * or `for_each`. Only existing steps are kept (unknown ones are reported by the reference checks); a step
 * that references itself keeps the self-edge, which the cycle check reports. Each list is in file order.
 * Computed once per document with its step graph (step-graph.ts); callers never mutate it.
 */
export function stepDependencies(doc: WorkflowDocument, expressions: WorkflowExpressions): ReadonlyMap<string, readonly string[]> {
  return stepGraph(doc, expressions).dependencies;
}
