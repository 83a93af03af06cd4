import type { DocPath, SourceMap, StepSpec, WorkflowDocument } from './workflow-document.ts';

/**
 * A group's inner level seen as a workflow document of its own: its `steps:` are the steps, its `outputs:`
 * the outputs, and everything else (inputs, env, state, config) is the enclosing document's. The semantic
 * checks and the compiler run on it as on a top-level document, which is how a group gets every check and
 * every plan figure a workflow has, at any depth. Paths in the inner document are relative to the group's
 * step node; {@link prefixedSourceMap} turns them into positions in the file.
 */
export function groupDocument(outer: WorkflowDocument, group: StepSpec): WorkflowDocument {
  let doc = cache.get(group);
  if (!doc || doc.inputs !== outer.inputs) {
    doc = { ...outer, steps: group.steps ?? {}, outputs: group.outputs ?? {} };
    delete doc.repeatUntil;
    if (group.repeat && (typeof group.repeat.until === 'string' || typeof group.repeat.until === 'boolean')) doc.repeatUntil = group.repeat.until;
    cache.set(group, doc);
  }
  return doc;
}

const cache = new WeakMap<StepSpec, WorkflowDocument>();

/** Whether a step is a group (inline `steps:`). A `uses:` step is a group too, once its file is loaded. */
export function isInlineGroup(step: StepSpec): boolean {
  return step.steps !== undefined;
}

/** What kind of step a spec is. */
export function stepKind(step: StepSpec): 'agent' | 'group' | 'uses' | 'template' {
  if (step.steps !== undefined) return 'group';
  if (step.uses !== undefined) return 'uses';
  if (step.follow_up !== undefined) return 'template';
  return 'agent';
}

/** A source map whose paths are relative to the node at `prefix` of another map (a group's inner level). */
export function prefixedSourceMap(map: SourceMap, prefix: DocPath): SourceMap {
  if (prefix.length === 0) return map;
  const join = (path: DocPath): DocPath => [...prefix, ...path];
  const prefixed: SourceMap = {
    file: map.file,
    locate: (path) => map.locate(join(path)),
    locateKey: (path) => map.locateKey(join(path)),
  };
  if (map.locateInValue) {
    const inValue = map.locateInValue.bind(map);
    prefixed.locateInValue = (path, offset) => inValue(join(path), offset);
  }
  return prefixed;
}

/**
 * The inner step ids of the groups of a level, at any depth, each with the top-level group it sits in:
 * what a reference from outside into a group names (STEP_REF_INTO_GROUP says which group to read instead).
 */
export function innerStepOwners(doc: WorkflowDocument): ReadonlyMap<string, string> {
  let owners = ownersCache.get(doc);
  if (!owners) {
    owners = new Map();
    for (const [id, step] of Object.entries(doc.steps)) collectInner(step, id, owners);
    ownersCache.set(doc, owners);
  }
  return owners;
}

const ownersCache = new WeakMap<WorkflowDocument, Map<string, string>>();

function collectInner(step: StepSpec, owner: string, owners: Map<string, string>): void {
  if (!step.steps) return;
  for (const [id, inner] of Object.entries(step.steps)) {
    if (!owners.has(id)) owners.set(id, owner);
    collectInner(inner, owner, owners);
  }
}
