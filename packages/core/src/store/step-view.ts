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

/** The view of a unit record, or undefined when the unit has none (it did not succeed, or has no fingerprint). */
export function renderStepView(record: UnitFinishedRecord): StepView | undefined {
  if (!hasStepView(record) || record.fingerprint === undefined) return undefined;
  const file: StepOutputFile = {
    stepId: record.step,
    ...(record.item !== undefined ? { itemIndex: record.item } : {}),
    fingerprint: record.fingerprint,
    output: record.output,
    writes: record.writes ?? [],
    ...(record.artifacts ? { artifacts: record.artifacts } : {}),
  };
  return { path: stepOutputPath(record.step, record.item), content: JSON.stringify(file, null, 2) + '\n' };
}

/** The view of a fan-out step's gathered output (its items' outputs in order). */
export function renderFanOutView(stepId: string, fingerprint: string, output: unknown): StepView {
  const file: StepOutputFile = { stepId, fingerprint, output, writes: [] };
  return { path: stepOutputPath(stepId, undefined), content: JSON.stringify(file, null, 2) + '\n' };
}
