import type { PlanStep } from '../plan/plan-types.ts';
import type { StateWrite } from '../state/state-view.ts';

/** The result of a unit as an earlier run recorded it in the journal, checked against the files on disk. */
export interface EarlierResult {
  fingerprint: string;
  output: unknown;
  /** The state writes committed with it: resume commits them again. */
  writes: StateWrite[];
  /** Files the unit wrote, with their hashes (all found intact). */
  artifacts?: { path: string; sha256: string }[];
  /** Its `steps/` view is missing or out of date (never written before a kill): write it again. */
  rewriteView: boolean;
}

/** A unit whose recorded result was altered on disk since (view edited, artifact changed or gone). */
export interface AlteredUnit {
  stepId: string;
  itemIndex: number | undefined;
  /** What was found altered, for the message. */
  what: string;
}

/** The reusable results of earlier runs in the same output directory (see store/resume-index.ts). */
export interface ResumeIndex {
  /** The earlier result of a unit, if it succeeded with exactly this fingerprint and is intact. */
  find(stepId: string, itemIndex: number | undefined, fingerprint: string): EarlierResult | undefined;
  /** How many reusable results were found. */
  readonly size: number;
  /** Units whose results were altered on disk: they run again, and so does everything downstream of them. */
  readonly altered: readonly AlteredUnit[];
}

export const EMPTY_RESUME_INDEX: ResumeIndex = { find: () => undefined, size: 0, altered: [] };

/** `fromStep` and every step downstream of it: these run again whatever the earlier run left. */
export function stepsToRerun(steps: Readonly<Record<string, PlanStep>>, fromStep: string): Set<string> {
  const out = new Set<string>();
  const stack = [fromStep];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (out.has(id)) continue;
    out.add(id);
    for (const d of steps[id]?.dependents ?? []) stack.push(d);
  }
  return out;
}

/**
 * The steps that must run again because of altered results: everything downstream of each altered unit's
 * step (the unit itself is simply not reusable; its step's intact items still are).
 */
export function stepsDownstreamOfAltered(steps: Readonly<Record<string, PlanStep>>, altered: readonly AlteredUnit[]): Set<string> {
  const out = new Set<string>();
  for (const unit of altered) {
    for (const dependent of steps[unit.stepId]?.dependents ?? []) {
      if (!out.has(dependent)) for (const id of stepsToRerun(steps, dependent)) out.add(id);
    }
  }
  return out;
}
