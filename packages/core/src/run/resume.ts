import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isUcopError } from '../errors/ucop-error.ts';
import { readJsonFile, resolveInside } from '../files/index.ts';
import type { PlanStep } from '../plan/plan-types.ts';
import type { RunRecordFile, StepRecord } from './run-record.ts';
import { isStepOutputFile, type StepOutputFile } from './step-output-file.ts';

/** The intact results of an earlier run in the same output directory. */
export interface ResumeIndex {
  /** The earlier result of a unit, if it succeeded with exactly this fingerprint and its output file is intact. */
  find(stepId: string, itemIndex: number | undefined, fingerprint: string): StepOutputFile | undefined;
  /** How many reusable results were found. */
  readonly size: number;
}

export const EMPTY_RESUME_INDEX: ResumeIndex = { find: () => undefined, size: 0 };

function key(stepId: string, itemIndex: number | undefined): string {
  return itemIndex === undefined ? stepId : `${stepId}\u0000${itemIndex}`;
}

async function readIntact(outDir: string, step: StepRecord): Promise<StepOutputFile | undefined> {
  if (step.status !== 'succeeded' || !step.output || !step.fingerprint) return undefined;
  try {
    const text = await readFile(resolveInside(outDir, step.output), 'utf8');
    const parsed: unknown = JSON.parse(text);
    if (!isStepOutputFile(parsed)) return undefined;
    if (parsed.stepId !== step.id || parsed.itemIndex !== step.itemIndex || parsed.fingerprint !== step.fingerprint) return undefined;
    for (const artifact of parsed.artifacts ?? []) {
      const content = await readFile(resolveInside(outDir, artifact.path));
      if (createHash('sha256').update(content).digest('hex') !== artifact.sha256) return undefined;
    }
    return parsed;
  } catch {
    // Missing, truncated or not JSON: not intact, so the unit runs again.
    return undefined;
  }
}

/**
 * Reads `<outDir>/run.json` (finished or partial) and every output file it lists as succeeded. A unit is
 * reusable when its record says succeeded and its output file parses, names the same unit, and carries the
 * fingerprint the record gives, and every artifact the unit wrote is still there with the same content. Whether it IS reused is decided when the unit is about to run: its new
 * fingerprint must equal the recorded one. No earlier run (or an unreadable run.json) gives an empty index.
 */
export async function loadResumeIndex(outDir: string): Promise<ResumeIndex> {
  let record: RunRecordFile;
  try {
    record = await readJsonFile<RunRecordFile>(resolveInside(outDir, 'run.json'));
  } catch (error) {
    if (isUcopError(error)) return EMPTY_RESUME_INDEX;
    throw error;
  }
  if (!Array.isArray(record.steps)) return EMPTY_RESUME_INDEX;
  const found = new Map<string, StepOutputFile>();
  const BATCH = 32;
  for (let i = 0; i < record.steps.length; i += BATCH) {
    const batch = record.steps.slice(i, i + BATCH);
    const files = await Promise.all(batch.map((s) => readIntact(outDir, s)));
    files.forEach((file, j) => {
      if (file) found.set(key(batch[j]!.id, batch[j]!.itemIndex), file);
    });
  }
  return {
    size: found.size,
    find(stepId, itemIndex, fingerprint) {
      const file = found.get(key(stepId, itemIndex));
      return file && file.fingerprint === fingerprint ? file : undefined;
    },
  };
}

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
