import type { RunRecordFile, StepRecord } from '@ucop/core';
import type { ReportBar } from './report-bar.ts';
import { assignSlotLanes } from './slot-lanes.ts';

export type { BarKind, ReportBar } from './report-bar.ts';

/** A unit that has no bar: skipped, cancelled before it started, resumed from an earlier run, or pending. */
export interface UnitWithoutBar {
  unit: string;
  status: string;
  reason?: string;
  resumed: boolean;
}

/** Everything the HTML report shows, computed from `run.json` alone. */
export interface ReportModel {
  workflow: string;
  runId: string;
  status: string;
  engine: string;
  startedAt: string;
  wallMs: number;
  maxParallel: number;
  /** Units (steps without for_each, and fan-out items) that ran: one or more work bars each. */
  executedUnits: number;
  bars: ReportBar[];
  /** How many slot lanes the bars need (at most maxParallel for a consistent record). */
  slotLanes: number;
  /** Step ids in plan order, for the per-step lanes. */
  stepIds: string[];
  criticalPath: { steps: string[]; ms: number };
  /** Work summed over units, the waits apart, and the figures derived from them. */
  figures: {
    workMs: number;
    lowerBoundMs: number;
    efficiency: number;
    /** null when the run did not succeed: a speedup of a partial run compares nothing useful. */
    speedup: number | null;
    waits: { queueMs: number; rateLimitMs: number; backoffMs: number };
  };
  usage: RunRecordFile['usage'] | null;
  errors: { code: string; message: string; unit: string | null }[];
  withoutBars: UnitWithoutBar[];
}

function unitName(r: Pick<StepRecord, 'id' | 'itemIndex'>): string {
  return r.itemIndex === undefined ? r.id : `${r.id}[${r.itemIndex}]`;
}

/** Fan-out steps: their aggregate record is followed by item records with the same id. */
function fanOutIds(steps: readonly StepRecord[]): Set<string> {
  const ids = new Set<string>();
  for (const s of steps) if (s.itemIndex !== undefined) ids.add(s.id);
  return ids;
}

interface AttemptWindow {
  attempt: number;
  startMs: number;
  endMs: number;
  status: string;
  error?: { code: string; message: string };
  backoffMs: number;
}

function attemptsOf(r: StepRecord, wallMs: number): AttemptWindow[] {
  if (r.attemptLog && r.attemptLog.length > 0) {
    return r.attemptLog.map((a, i) => ({ attempt: i + 1, startMs: a.startMs, endMs: a.endMs, status: a.status, backoffMs: a.backoffMs ?? 0, ...(a.error ? { error: a.error } : {}) }));
  }
  const startMs = r.startMs!;
  const endMs = r.endMs ?? Math.max(startMs, wallMs);
  return [{ attempt: Math.max(1, r.attempts), startMs, endMs, status: r.status, backoffMs: 0, ...(r.error ? { error: r.error } : {}) }];
}

/**
 * The units on the critical path: a step on it counts with its longest item only (the metrics weigh a
 * fan-out step that way), other steps as themselves.
 */
function criticalUnits(units: readonly StepRecord[], path: readonly string[]): Set<StepRecord> {
  const onPath = new Set(path);
  const longest = new Map<string, StepRecord>();
  const span = (r: StepRecord): number => (r.endMs ?? 0) - (r.startMs ?? 0);
  for (const r of units) {
    if (!onPath.has(r.id)) continue;
    const best = longest.get(r.id);
    if (!best || span(r) > span(best)) longest.set(r.id, r);
  }
  return new Set(longest.values());
}

/** Builds the report's model from a run record (finished or partial). Never reads anything else. */
export function buildReportModel(record: RunRecordFile): ReportModel {
  const fanOuts = fanOutIds(record.steps);
  const units = record.steps.filter((s) => !(s.itemIndex === undefined && fanOuts.has(s.id)));
  const executed = units.filter((s) => s.startMs !== undefined && s.resumed !== true);
  const critical = criticalUnits(executed, record.metrics.criticalPath.steps);
  const bars: ReportBar[] = [];
  for (const r of executed) {
    const name = unitName(r);
    const base = { unit: name, stepId: r.id, ...(r.itemIndex === undefined ? {} : { itemIndex: r.itemIndex }), lane: 0 };
    const queued = r.queueWaitMs ?? 0;
    if (queued > 0) bars.push({ ...base, kind: 'queue', attempt: 1, status: 'waiting', startMs: r.startMs! - queued, endMs: r.startMs!, critical: false });
    const attempts = attemptsOf(r, record.wallMs);
    const rateLimitMs = r.usage?.rateLimitWaitMs ?? 0;
    for (const [i, a] of attempts.entries()) {
      let workStart = a.startMs;
      // The record keeps the total rate-limit wait of the (succeeding) attempt, not where it fell: it is drawn
      // at the start of the last attempt, where a call's permit wait happens.
      // Under a millisecond is the limiter's bookkeeping, not a wait worth a bar.
      if (i === attempts.length - 1 && rateLimitMs >= 1) {
        workStart = Math.min(a.endMs, a.startMs + rateLimitMs);
        bars.push({ ...base, kind: 'rate-limit', attempt: a.attempt, status: 'waiting', startMs: a.startMs, endMs: workStart, critical: false });
      }
      bars.push({ ...base, kind: 'work', attempt: a.attempt, status: a.status, startMs: workStart, endMs: a.endMs, critical: critical.has(r), ...(a.error ? { error: a.error } : {}) });
      if (a.backoffMs > 0) bars.push({ ...base, kind: 'backoff', attempt: a.attempt, status: 'waiting', startMs: a.endMs, endMs: a.endMs + a.backoffMs, critical: false });
    }
  }
  const slotLanes = assignSlotLanes(bars);
  const stepIds: string[] = [];
  for (const s of record.steps) if (!stepIds.includes(s.id)) stepIds.push(s.id);
  const m = record.metrics;
  const waits = m.waits ?? { queueMs: executed.reduce((sum, r) => sum + (r.queueWaitMs ?? 0), 0), rateLimitMs: 0, backoffMs: 0 };
  return {
    workflow: record.workflow,
    runId: record.runId,
    status: record.status,
    engine: record.engine,
    startedAt: record.startedAt,
    wallMs: record.wallMs,
    maxParallel: record.maxParallel,
    executedUnits: executed.length,
    bars,
    slotLanes,
    stepIds,
    criticalPath: m.criticalPath,
    figures: {
      workMs: m.sumStepMs,
      lowerBoundMs: m.lowerBoundMs,
      efficiency: m.efficiency,
      speedup: record.status === 'succeeded' ? m.speedup : null,
      waits,
    },
    usage: record.usage ?? null,
    errors: record.errors.map((e) => ({ code: e.code, message: e.message, unit: e.stepId === undefined ? null : unitName({ id: e.stepId, ...(e.itemIndex === undefined ? {} : { itemIndex: e.itemIndex }) }) })),
    withoutBars: units
      .filter((s) => s.startMs === undefined || s.resumed === true)
      .map((s) => ({ unit: unitName(s), status: s.status, resumed: s.resumed === true, ...(s.reason ? { reason: s.reason } : {}) })),
  };
}
