import { stepOutputPath, type StepOutputFile } from '../run/step-output-file.ts';
import type { UnitFinishedRecord } from './journal-record.ts';

/**
 * The `steps/` view of a succeeded unit: its path under the run directory and its exact content. The same
 * record always renders to the same bytes, so resume can tell a view that was edited by hand (different
 * bytes under the same fingerprint) from one that is intact.
 */
export interface StepView {
  path: string;
  content: string;
}

/** Whether a unit record has a view (it succeeded, with a fingerprint). */
export function hasStepView(record: UnitFinishedRecord): boolean {
  return record.status === 'succeeded' && record.fingerprint !== undefined;
}

/** What the view of a unit record holds, or undefined when the unit has none. */
export function stepOutputFileOf(record: UnitFinishedRecord): StepOutputFile | undefined {
  if (record.status !== 'succeeded' || record.fingerprint === undefined) return undefined;
  return {
    stepId: record.step,
    ...(record.item !== undefined ? { itemIndex: record.item } : {}),
    fingerprint: record.fingerprint,
    output: record.output,
    writes: record.writes ?? [],
    ...(record.artifacts ? { artifacts: record.artifacts } : {}),
  };
}

/** The bytes of a view file: every writer of views (the run, resume, `ucop outputs --write`) renders them here. */
export function renderStepOutputFile(file: StepOutputFile): StepView {
  return { path: stepOutputPath(file.stepId, file.itemIndex), content: JSON.stringify(file, null, 2) + '\n' };
}

/** The view of a unit record, or undefined when the unit has none (it did not succeed, or has no fingerprint). */
export function renderStepView(record: UnitFinishedRecord): StepView | undefined {
  const file = stepOutputFileOf(record);
  return file && renderStepOutputFile(file);
}

/** The view of a fan-out step's gathered output (its items' outputs in order). */
export function renderFanOutView(stepId: string, fingerprint: string, output: unknown): StepView {
  return renderStepOutputFile({ stepId, fingerprint, output, writes: [] });
}
