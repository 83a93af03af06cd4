import type { StepSpec, WorkflowDocument } from './workflow-document.ts';

/**
 * The steps of a document in file order, as two parallel arrays: step i is `ids[i]`, `specs[i]`. Enumerated
 * once per document and shared by the checks, the step graph and the compiler, which all loop over integers.
 */
export interface StepList {
  readonly ids: readonly string[];
  readonly specs: readonly StepSpec[];
}

const cache = new WeakMap<WorkflowDocument, StepList>();

/**
 * The steps of a document in file order. Enumerating `doc.steps` is not free at scale: V8 keeps an object of
 * tens of thousands of keys as a dictionary, and `Object.entries` sorts its keys and allocates a pair per
 * key (20-30 ms at 50,000 steps); a dozen passes read the steps. Normalisation hands over the lists it built
 * ({@link rememberStepList}), so a validated document is never enumerated again.
 */
export function stepList(doc: WorkflowDocument): StepList {
  let list = cache.get(doc);
  if (!list) {
    const steps = doc.steps;
    const ids = Object.keys(steps);
    const specs = new Array<StepSpec>(ids.length);
    for (let i = 0; i < ids.length; i += 1) specs[i] = steps[ids[i]!]!;
    list = { ids, specs };
    cache.set(doc, list);
  }
  return list;
}

/** Records the step lists of a document whose `steps` were just built in this order (normalisation). */
export function rememberStepList(doc: WorkflowDocument, ids: readonly string[], specs: readonly StepSpec[]): void {
  cache.set(doc, { ids, specs });
}
