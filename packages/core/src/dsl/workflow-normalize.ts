import { rememberStepList } from './step-entries.ts';
import type { StepSpec, WorkflowDocument } from './workflow-document.ts';

/**
 * Builds a WorkflowDocument from a loaded YAML value, filling the optional sections with empty maps. The
 * steps are the value's own objects, normalised in place (see toStep): the value is not to be used after. It is
 * defensive: parts of the wrong shape (already reported by the schema check) are left out, so that the
 * semantic checks can still run on the rest of the file and report all its problems at once.
 */
export function toWorkflowDocument(value: unknown): WorkflowDocument {
  const root = asRecord(value);
  const doc: WorkflowDocument = {
    version: 1,
    name: typeof root.name === 'string' ? root.name : '',
    inputs: recordOfRecords(root.inputs) as unknown as WorkflowDocument['inputs'],
    env: Object.fromEntries(Object.entries(asRecord(root.env)).map(([k, v]) => [k, asRecord(v)])),
    config: asRecord(root.config) as WorkflowDocument['config'],
    state: recordOfRecords(root.state) as unknown as WorkflowDocument['state'],
    steps: {},
    outputs: Object.fromEntries(Object.entries(asRecord(root.outputs)).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
  };
  if (typeof root.description === 'string') doc.description = root.description;
  const rawSteps = asRecord(root.steps);
  const ids: string[] = [];
  const specs: StepSpec[] = [];
  for (const id of Object.keys(rawSteps)) {
    const raw = rawSteps[id];
    if (!isRecord(raw)) continue;
    const step = toStep(raw);
    doc.steps[id] = step;
    if (!Object.hasOwn(doc.steps, id)) continue; // `__proto__`: not a step (the schema check reports the name)
    ids.push(id);
    specs.push(step);
  }
  // The checks and the compiler read the steps in this order: they need not enumerate `doc.steps` again.
  rememberStepList(doc, ids, specs);
  return doc;
}

/** Steps written with none of `agent`, `steps`, `uses` (reported by the step-kind check). */
export const WITHOUT_KIND = new WeakSet<StepSpec>();

/**
 * The step map normalised in place: the loaded value is the loader's own fresh data, read by nothing once
 * the document is built, and a copy of each of 50,000 steps would double what validation holds at its peak.
 */
function toStep(raw: Record<string, unknown>): StepSpec {
  const innerSteps = raw.steps;
  const step = raw as unknown as StepSpec;
  if (raw.agent === undefined && innerSteps === undefined && raw.uses === undefined) WITHOUT_KIND.add(step);
  step.agent = typeof raw.agent === 'string' ? raw.agent : '';
  step.needs = stringList(raw.needs);
  step.writes = stringList(raw.writes);
  if (raw.with !== undefined && !isRecord(raw.with)) delete step.with;
  if (raw.retry !== undefined && !isRecord(raw.retry)) delete step.retry;
  if (innerSteps !== undefined) {
    const inner: Record<string, StepSpec> = {};
    for (const [id, value] of Object.entries(asRecord(innerSteps))) if (isRecord(value)) inner[id] = toStep(value);
    step.steps = inner;
  }
  if (raw.outputs !== undefined) step.outputs = Object.fromEntries(Object.entries(asRecord(raw.outputs)).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  if (raw.uses !== undefined && typeof raw.uses !== 'string') delete step.uses;
  if (raw.repeat !== undefined && !isRecord(raw.repeat)) delete step.repeat;
  if (raw.follow_up !== undefined && (!isRecord(raw.follow_up) || typeof raw.follow_up.from !== 'string' || typeof raw.follow_up.each !== 'string')) delete step.follow_up;
  if (raw.expect !== undefined && !isRecord(raw.expect)) delete step.expect;
  return step;
}

/** Shared by every step that lists nothing (a workflow of 50,000 steps would otherwise hold 100,000 empty lists). */
const NO_STRINGS: string[] = Object.freeze([]) as unknown as string[];

/** The list itself when every item is a string (the usual case, nothing copied), else its strings. */
function stringList(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) return NO_STRINGS;
  for (const item of value) if (typeof item !== 'string') return value.filter((v): v is string => typeof v === 'string');
  return value as string[];
}

function recordOfRecords(value: unknown): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(asRecord(value)).filter(([, v]) => isRecord(v))) as Record<string, Record<string, unknown>>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/**
 * A section written with nothing under it (`state:` with every line commented out) is YAML null: treat
 * it as absent rather than as a type error. Returns a shallow copy of the top-level map without them;
 * `keep` names sections that must not be empty (their absence is then reported as such).
 */
export function dropEmptySections(value: unknown, keep: ReadonlySet<string> = new Set()): unknown {
  if (value === null || value === undefined) return {};
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== null || keep.has(key)) out[key] = item;
  return out;
}
