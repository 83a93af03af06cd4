import type { WorkflowDocument } from './workflow-document.ts';
import type { WorkflowExpressions } from './workflow-expressions.ts';

/**
 * The dependencies of every step: its `needs` plus every step referenced as `steps.X` in its `with`, `if`
 * or `for_each`. Only existing steps are kept (unknown ones are reported by the reference checks); a step
 * that references itself keeps the self-edge, which the cycle check reports. Each list is in file order.
 */
export function stepDependencies(doc: WorkflowDocument, expressions: WorkflowExpressions): Map<string, string[]> {
  let deps = cache.get(doc);
  if (!deps) {
    deps = computeDependencies(doc, expressions);
    cache.set(doc, deps);
  }
  return deps;
}

// Validation and compilation of one document share the result; callers never mutate it.
const cache = new WeakMap<WorkflowDocument, Map<string, string[]>>();

function computeDependencies(doc: WorkflowDocument, expressions: WorkflowExpressions): Map<string, string[]> {
  const fileIndex = new Map(Object.keys(doc.steps).map((id, i) => [id, i]));
  const out = new Map<string, string[]>();
  for (const [id, step] of Object.entries(doc.steps)) {
    const deps = new Set<string>();
    for (const need of step.needs ?? []) if (fileIndex.has(need)) deps.add(need);
    for (const ref of expressions.steps.get(id)?.references ?? []) {
      if (ref.root === 'steps' && ref.name !== undefined && fileIndex.has(ref.name)) deps.add(ref.name);
    }
    const list = [...deps];
    if (list.length > 1) list.sort((a, b) => fileIndex.get(a)! - fileIndex.get(b)!);
    out.set(id, list);
  }
  return out;
}
