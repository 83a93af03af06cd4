import { describe, expect, it } from 'vitest';
import type { RunRecord, StepRecord } from '@ucop/core';
import { buildReportModel } from './report-model.ts';

function record(steps: StepRecord[], extra: Partial<RunRecord> = {}): RunRecord {
  return {
    schemaVersion: 1,
    runId: 'r1',
    workflow: 'wf',
    file: 'wf.yaml',
    engine: 'parallel',
    status: 'succeeded',
    startedAt: '2026-01-01T00:00:00.000Z',
    wallMs: 100,
    maxParallel: 2,
    inputs: {},
    outputs: {},
    steps,
    errors: [],
    metrics: { sumStepMs: 150, speedup: 1.5, criticalPath: { steps: ['a', 'fan'], ms: 90 }, lowerBoundMs: 90, efficiency: 0.9, waits: { queueMs: 10, rateLimitMs: 5, backoffMs: 20 } },
    ...extra,
  };
}

const steps: StepRecord[] = [
  { id: 'a', agent: 'x', status: 'succeeded', attempts: 1, startMs: 0, endMs: 30, queueWaitMs: 0 },
  { id: 'fan', agent: 'x', status: 'succeeded', attempts: 2, startMs: 30, endMs: 100 },
  { id: 'fan', itemIndex: 0, agent: 'x', status: 'succeeded', attempts: 1, startMs: 30, endMs: 60, queueWaitMs: 0 },
  { id: 'fan', itemIndex: 1, agent: 'x', status: 'succeeded', attempts: 1, startMs: 30, endMs: 50, queueWaitMs: 0, usage: { inputTokens: 1, outputTokens: 1, costUsd: 0, calls: 1, providers: ['p'], rateLimitWaitMs: 5 } },
  {
    id: 'fan', itemIndex: 2, agent: 'x', status: 'succeeded', attempts: 2, startMs: 50, endMs: 100, queueWaitMs: 10, backoffMs: 20,
    attemptLog: [
      { startMs: 50, endMs: 60, status: 'failed', error: { code: 'AGENT_ERROR', message: 'boom' }, backoffMs: 20 },
      { startMs: 80, endMs: 100, status: 'succeeded' },
    ],
  },
  { id: 'skipped', agent: 'x', status: 'skipped', attempts: 0, reason: 'if: false' },
];

describe('buildReportModel', () => {
  it('has one work bar per attempt of each unit that ran, and none for a fan-out aggregate', () => {
    const m = buildReportModel(record(steps));
    const work = m.bars.filter((b) => b.kind === 'work');
    expect(work.map((b) => `${b.unit}#${b.attempt}`)).toEqual(['a#1', 'fan[0]#1', 'fan[1]#1', 'fan[2]#1', 'fan[2]#2']);
    expect(m.executedUnits).toBe(4);
    expect(work.find((b) => b.unit === 'fan[2]' && b.attempt === 1)).toMatchObject({ status: 'failed', error: { code: 'AGENT_ERROR' } });
  });

  it('draws waits apart from work: queue before the first attempt, backoff after a failed one, rate-limit at the start', () => {
    const m = buildReportModel(record(steps));
    expect(m.bars.filter((b) => b.kind === 'queue')).toMatchObject([{ unit: 'fan[2]', startMs: 40, endMs: 50 }]);
    expect(m.bars.filter((b) => b.kind === 'backoff')).toMatchObject([{ unit: 'fan[2]', startMs: 60, endMs: 80 }]);
    expect(m.bars.filter((b) => b.kind === 'rate-limit')).toMatchObject([{ unit: 'fan[1]', startMs: 30, endMs: 35 }]);
    expect(m.bars.find((b) => b.unit === 'fan[1]' && b.kind === 'work')).toMatchObject({ startMs: 35, endMs: 50 });
  });

  it('marks the critical path: a fan-out step through its longest item only', () => {
    const critical = buildReportModel(record(steps)).bars.filter((b) => b.critical).map((b) => `${b.unit}#${b.attempt}`);
    expect(critical).toEqual(['a#1', 'fan[2]#1', 'fan[2]#2']);
  });

  it('fits the attempts into slot lanes that never overlap', () => {
    const m = buildReportModel(record(steps));
    expect(m.slotLanes).toBe(2);
    const busy = m.bars.filter((b) => b.kind === 'work' || b.kind === 'rate-limit');
    for (const x of busy) for (const y of busy) {
      if (x === y || x.lane !== y.lane || x.unit === y.unit) continue;
      expect(x.endMs <= y.startMs + 0.5 || y.endMs <= x.startMs + 0.5).toBe(true);
    }
  });

  it('gives no speedup for a run that did not succeed, and lists units without bars', () => {
    const m = buildReportModel(record(steps, { status: 'failed', errors: [{ code: 'AGENT_ERROR', message: 'boom', stepId: 'fan', itemIndex: 2 }] }));
    expect(m.figures.speedup).toBeNull();
    expect(m.errors).toEqual([{ code: 'AGENT_ERROR', message: 'boom', unit: 'fan[2]' }]);
    expect(m.withoutBars).toEqual([{ unit: 'skipped', status: 'skipped', resumed: false, reason: 'if: false' }]);
    expect(buildReportModel(record(steps)).figures.speedup).toBe(1.5);
  });

  it('draws a partial record (a run still going, or killed): running units end at the record time', () => {
    const partial = { ...record([{ id: 'a', agent: 'x', status: 'running', attempts: 1, startMs: 10 }]), status: 'running' as const, wallMs: 80 };
    const m = buildReportModel(partial);
    expect(m.bars).toMatchObject([{ unit: 'a', kind: 'work', status: 'running', startMs: 10, endMs: 80 }]);
    expect(m.figures.speedup).toBeNull();
  });
});
