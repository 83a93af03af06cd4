import type { UcopError } from '../errors/ucop-error.ts';
import { combineFingerprints } from '../run/fingerprint.ts';
import type { StepRecord } from '../run/run-record.ts';
import type { ExecutionUnit, FinalStatus, StepRuntime } from './step-runtime.ts';

/** A fan-out step's result, gathered from its items. */
export interface FanOutResult {
  status: FinalStatus;
  /** Item outputs in item order (not completion order); `null` for an item that did not succeed. */
  output: unknown[];
  /** The first failing item's error, by item index. */
  error: UcopError | undefined;
  fingerprint: string;
  /** Aggregate figures for the step's own record. */
  record: Pick<StepRecord, 'attempts' | 'startMs' | 'endMs'>;
}

// Which item outcome decides the step's status: a failure outranks a timeout, which outranks a cancellation.
const RANK: Record<FinalStatus, number> = { succeeded: 0, skipped: 1, cancelled: 2, timed_out: 3, failed: 4 };

/**
 * Gathers a fan-out step's items: status (`succeeded` only if every item did; otherwise the worst item
 * status: failed > timed_out > cancelled), the output list in item order, attempts (the most any item
 * needed) and the span from the first item's start to the last one's end.
 */
export function aggregateFanOut(rt: StepRuntime, units: readonly ExecutionUnit[]): FanOutResult {
  let status: FinalStatus = 'succeeded';
  let error: UcopError | undefined;
  let attempts = 0;
  let startMs: number | undefined;
  let endMs: number | undefined;
  const output: unknown[] = new Array<unknown>(units.length);
  const fingerprints: string[] = [];
  units.forEach((u, i) => {
    const s = u.status as FinalStatus;
    output[i] = s === 'succeeded' ? u.output : null;
    if (RANK[s] > RANK[status]) status = s;
    if (s !== 'succeeded' && !error && u.error) error = u.error;
    attempts = Math.max(attempts, u.record.attempts);
    if (u.record.startMs !== undefined) startMs = startMs === undefined ? u.record.startMs : Math.min(startMs, u.record.startMs);
    if (u.record.endMs !== undefined) endMs = endMs === undefined ? u.record.endMs : Math.max(endMs, u.record.endMs);
    fingerprints.push(u.fingerprint ?? `status:${s}`);
  });
  const record: FanOutResult['record'] = { attempts };
  if (startMs !== undefined) record.startMs = startMs;
  if (endMs !== undefined) record.endMs = endMs;
  return { status, output, error, fingerprint: combineFingerprints(rt.step.id, fingerprints), record };
}
