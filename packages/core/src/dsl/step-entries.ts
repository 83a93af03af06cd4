import type { StepSpec, WorkflowDocument } from './workflow-document.ts';

const cache = new WeakMap<WorkflowDocument, readonly (readonly [string, StepSpec])[]>();

/**
 * The steps of a document in file order as `[id, spec]` pairs, enumerated once per document and shared by
 * the checks and the compiler. Enumerating `doc.steps` is not free at scale: V8 keeps an object of tens of
 * thousands of keys as a dictionary and sorts its keys on every `Object.entries` (tens of ms at 50,000
 * steps, and a dozen passes read the steps).
 */
export function stepEntries(doc: WorkflowDocument): readonly (readonly [string, StepSpec])[] {
  let entries = cache.get(doc);
  if (!entries) {
    entries = Object.entries(doc.steps);
    cache.set(doc, entries);
  }
  return entries;
}
