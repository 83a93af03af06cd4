import type { StateWrite } from '../state/state-view.ts';

/** `<dir>/steps/<id>.json` or `<dir>/steps/<id>.<index>.json`: one unit's result, written atomically. */
export interface StepOutputFile {
  stepId: string;
  /** Absent for a step without `for_each` (and for the gathered output of a fan-out step). */
  itemIndex?: number;
  fingerprint: string;
  output: unknown;
  /** The state writes the unit committed, so that resume can restore them. */
  writes: StateWrite[];
  /** Files the unit wrote under the output directory, with their hashes: resume reruns the unit if one changed. */
  artifacts?: { path: string; sha256: string }[];
}

/** The output file's path relative to the run directory. */
export function stepOutputPath(stepId: string, itemIndex: number | undefined): string {
  return itemIndex === undefined ? `steps/${stepId}.json` : `steps/${stepId}.${itemIndex}.json`;
}

/** Whether a parsed value has the shape of a step output file (resume refuses anything else). */
export function isStepOutputFile(value: unknown): value is StepOutputFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.stepId === 'string' &&
    typeof v.fingerprint === 'string' &&
    'output' in v &&
    (v.itemIndex === undefined || Number.isInteger(v.itemIndex)) &&
    Array.isArray(v.writes) &&
    v.writes.every((w) => typeof w === 'object' && w !== null && typeof (w as { key?: unknown }).key === 'string') &&
    (v.artifacts === undefined ||
      (Array.isArray(v.artifacts) && v.artifacts.every((a) => typeof a === 'object' && a !== null && typeof (a as { path?: unknown }).path === 'string' && typeof (a as { sha256?: unknown }).sha256 === 'string')))
  );
}
