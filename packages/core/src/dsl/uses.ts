import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../errors/diagnostic.ts';
import type { DocPath, LoadedWorkflow, SourceMap, StepSpec, WorkflowDocument } from './workflow-document.ts';
import { isRecord } from './workflow-normalize.ts';
import { stepList } from './step-entries.ts';

/**
 * Sub-workflows (`uses: ./chapter.yaml`). Files are read by the loader (loadWorkflowFile) before the
 * calling file is validated, each once, and handed to the validation as a map from absolute path to the
 * called file's own validation; a file that calls itself, directly or through others, is refused there
 * (USES_CYCLE) instead of being read again.
 */

/** The validation of each called file, by absolute path. */
export type UsedWorkflows = ReadonlyMap<string, { workflow?: LoadedWorkflow; diagnostics: Diagnostic[] }>;

/** A `uses:` found in a parsed (not yet validated) file: the path as written, where it is, and the resolved path. */
export interface UsesSite {
  uses: string;
  path: DocPath;
  file: string;
}

/** The file a `uses:` names, relative to the calling file. */
export function resolveUses(callingFile: string, uses: string): string {
  return resolve(dirname(callingFile), uses);
}

/** Every `uses:` of a parsed file, at any group depth (read from the raw value, before validation). */
export function usesSites(value: unknown, callingFile: string): UsesSite[] {
  const out: UsesSite[] = [];
  const walk = (steps: unknown, base: DocPath): void => {
    if (!isRecord(steps)) return;
    for (const [id, step] of Object.entries(steps)) {
      if (!isRecord(step)) continue;
      if (typeof step.uses === 'string' && step.uses !== '') out.push({ uses: step.uses, path: [...base, id, 'uses'], file: resolveUses(callingFile, step.uses) });
      if (isRecord(step.steps)) walk(step.steps, [...base, id, 'steps']);
    }
  };
  if (isRecord(value)) walk(value.steps, ['steps']);
  return out;
}

// The called workflow of each `uses:` step, set when the calling file is validated and read by the compiler.
const called = new WeakMap<StepSpec, LoadedWorkflow>();

/** The workflow a validated `uses:` step calls. */
export function calledWorkflow(step: StepSpec): LoadedWorkflow | undefined {
  return called.get(step);
}

/**
 * Connects each `uses:` step of a validated document to its called file, and reports what is wrong with
 * it: the file's own problems (at their own file:line:col), a file that was not loaded, a cycle, and
 * `with:` keys that are not inputs of the called workflow or required inputs it does not give.
 */
export function checkUses(doc: WorkflowDocument, sourceMap: SourceMap, file: string, used: UsedWorkflows | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: DocPath, code: Diagnostic['code'], message: string, key = false): void => {
    const pos = key ? sourceMap.locateKey(path) : sourceMap.locate(path);
    out.push({ file: sourceMap.file, line: pos.line, col: pos.col, code, message });
  };
  const walk = (ids: readonly string[], specs: readonly StepSpec[], base: DocPath): void => {
    for (let i = 0; i < ids.length; i += 1) {
      const step = specs[i]!;
      if (step.steps === undefined && step.uses === undefined) continue;
      const id = ids[i]!;
      if (step.steps) walk(Object.keys(step.steps), Object.values(step.steps), [...base, id, 'steps']);
      if (step.uses === undefined) continue;
      const path = resolveUses(file, step.uses);
      const result = used?.get(path);
      if (!result) {
        at([...base, id, 'uses'], 'FILE_NOT_FOUND', `\`${step.uses}\` was not loaded: sub-workflows are read by loadWorkflowFile (ucop validate/run), not from a source string`);
        continue;
      }
      if (!result.workflow) {
        out.push(...result.diagnostics);
        continue;
      }
      called.set(step, result.workflow);
      const inputs = result.workflow.document.inputs;
      const given = isRecord(step.with) ? step.with : {};
      for (const key of Object.keys(given)) {
        if (!Object.hasOwn(inputs, key)) at([...base, id, 'with', key], 'AGENT_INPUT_INVALID', `\`with.${key}\` is not an input of \`${step.uses}\` (its inputs: ${Object.keys(inputs).join(', ') || 'none'})`, true);
      }
      for (const [name, spec] of Object.entries(inputs)) {
        if (spec.required && spec.default === undefined && !Object.hasOwn(given, name)) {
          at([...base, id], 'AGENT_INPUT_INVALID', `step \`${id}\` calls \`${step.uses}\` without its required input \`${name}\`: add it to \`with:\``, true);
        }
      }
    }
  };
  // The top level's steps as normalisation listed them: no enumeration of tens of thousands of keys.
  const { ids, specs } = stepList(doc);
  walk(ids, specs, ['steps']);
  return out;
}
