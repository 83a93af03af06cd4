import { describe, it, expect } from 'vitest';
import type { RunRecord } from '@ucop/core';
import { countSteps, formatRunSummary, formatUsage, summarizeRun } from './run-summary.ts';

const record: RunRecord = {
  schemaVersion: 1,
  runId: 'run-1',
  workflow: 'wf',
  file: 'wf.yaml',
  engine: 'parallel',
  status: 'failed',
  startedAt: '2025-01-01T00:00:00.000Z',
  wallMs: 2000,
  maxParallel: 4,
  inputs: {},
  outputs: { post: 'out/post.md' },
  steps: [
    { id: 'a', agent: 'x', status: 'succeeded', attempts: 1, resumed: true },
    { id: 'b', agent: 'x', status: 'failed', attempts: 3, error: { code: 'AGENT_ERROR', message: 'boom' } },
    { id: 'c', agent: 'x', status: 'skipped', attempts: 0, reason: 'dependency b failed' },
    { id: 'd', agent: 'x', status: 'succeeded', attempts: 1 },
    { id: 'd', itemIndex: 0, agent: 'x', status: 'succeeded', attempts: 1 },
    { id: 'd', itemIndex: 1, agent: 'x', status: 'succeeded', attempts: 1 },
  ],
  errors: [{ code: 'AGENT_ERROR', message: 'step b: boom' }],
  metrics: { sumStepMs: 6000, speedup: 3, criticalPath: { steps: ['a', 'b'], ms: 1500 }, lowerBoundMs: 1800, efficiency: 0.9 },
  usage: {
    inputTokens: 100,
    outputTokens: 50,
    costUsd: 0,
    calls: 2,
    byProvider: { offline: { calls: 2, inputTokens: 100, outputTokens: 50, costUsd: 0 } },
  },
};

describe('run summary', () => {
  it('counts steps by status, items and resumed steps apart', () => {
    expect(countSteps(record.steps)).toEqual({ total: 4, succeeded: 2, failed: 1, skipped: 1, cancelled: 0, timedOut: 0, resumed: 1, items: 2, resumedItems: 0 });
  });

  it('counts a fan-out step as resumed when all its items were', () => {
    const counts = countSteps([
      { id: 'f', agent: 'x', status: 'succeeded', attempts: 0 },
      { id: 'f', itemIndex: 0, agent: 'x', status: 'succeeded', attempts: 0, resumed: true },
      { id: 'f', itemIndex: 1, agent: 'x', status: 'succeeded', attempts: 0, resumed: true },
      { id: 'g', agent: 'x', status: 'succeeded', attempts: 1 },
      { id: 'g', itemIndex: 0, agent: 'x', status: 'succeeded', attempts: 0, resumed: true },
      { id: 'g', itemIndex: 1, agent: 'x', status: 'succeeded', attempts: 1 },
    ]);
    expect(counts.resumed).toBe(1);
    expect(counts.resumedItems).toBe(3);
    expect(formatRunSummary(summarizeRun({ ...record, status: 'succeeded', steps: [{ id: 'g', agent: 'x', status: 'succeeded', attempts: 1, resumed: true }, { id: 'f', agent: 'x', status: 'succeeded', attempts: 0 }, { id: 'f', itemIndex: 0, agent: 'x', status: 'succeeded', attempts: 0, resumed: true }, { id: 'f', itemIndex: 1, agent: 'x', status: 'succeeded', attempts: 0, resumed: true }] }, 'out', 'out/run.json'))).toContain(
      '2 steps and 2 items resumed from the previous run',
    );
  });

  it('does not claim a speedup when no step ran', () => {
    const text = formatRunSummary(summarizeRun({ ...record, metrics: { ...record.metrics, sumStepMs: 0, speedup: 0 } }, 'out', 'out/run.json'));
    expect(text).toContain('speedup: - (no step ran in this run)');
  });

  it('prints status, speedup, efficiency, outputs, errors and the record path', () => {
    const text = formatRunSummary(summarizeRun(record, 'out', 'out/run.json'));
    expect(text).toContain('Run run-1 failed in 2.0s (parallel engine, max_parallel 4)');
    expect(text).toContain('2 succeeded, 1 failed, 1 skipped of 4 (2 fan-out items, 1 step resumed from the previous run)');
    // The run failed: its work is counted, no speedup is claimed.
    expect(text).toContain('time:    2.0s wall, 6.0s of work');
    expect(text).toContain('speedup: - (the run failed: a speedup of unfinished work would mislead)');
    expect(text).not.toContain('3.00x');
    expect(text).toContain('post: out/post.md');
    expect(text).toContain('AGENT_ERROR step b: boom');
    expect(text).toContain('record:  out/run.json');
  });

  it('separates work from waiting and says what the speedup is measured against', () => {
    const waits = { queueMs: 300, rateLimitMs: 4000, backoffMs: 500 };
    const text = formatRunSummary(summarizeRun({ ...record, status: 'succeeded', metrics: { ...record.metrics, waits } }, 'out', 'out/run.json'));
    expect(text).toContain('time:    2.0s wall, 6.0s of work; waiting (summed over steps, not work): 300ms queued for a slot, 4.0s on rate limits, 500ms in retry backoff');
    expect(text).toContain('speedup: 3.00x (work ÷ wall time, against running the same work one step after another with no waiting); 90% of the achievable (lower bound 1.8s)');
    for (const status of ['timed_out', 'cancelled'] as const) {
      expect(formatRunSummary(summarizeRun({ ...record, status }, 'out', 'out/run.json'))).not.toContain('3.00x');
    }
  });

  it('names the step or fan-out item each error came from, when one failed with it', () => {
    const failing: RunRecord = {
      ...record,
      outputs: { post: undefined, count: 0 },
      steps: [
        { id: 'fetch', agent: 'x', status: 'failed', attempts: 1, error: { code: 'AGENT_ERROR', message: 'connection reset' } },
        { id: 'section', itemIndex: 2, agent: 'x', status: 'timed_out', attempts: 2, error: { code: 'STEP_TIMEOUT', message: 'took too long' } },
        { id: 'other', agent: 'x', status: 'cancelled', attempts: 1, error: { code: 'STEP_CANCELLED', message: 'cancelled' } },
      ],
      errors: [
        { code: 'STEP_TIMEOUT', message: 'took too long', stepId: 'section', itemIndex: 2 },
        { code: 'AGENT_ERROR', message: 'connection reset', stepId: 'fetch' },
        { code: 'EXPRESSION_EVAL', message: 'output "post": no value' },
      ],
    };
    const summary = summarizeRun(failing, 'out', 'out/run.json');
    expect(summary.errors).toEqual([
      { code: 'STEP_TIMEOUT', message: 'took too long', stepId: 'section', itemIndex: 2, step: 'section[2]' },
      { code: 'AGENT_ERROR', message: 'connection reset', stepId: 'fetch', step: 'fetch' },
      { code: 'EXPRESSION_EVAL', message: 'output "post": no value' },
    ]);
    const text = formatRunSummary(summary);
    expect(text).toContain('  errors:\n    section[2]: STEP_TIMEOUT took too long\n    fetch: AGENT_ERROR connection reset\n    EXPRESSION_EVAL output "post": no value\n');
    // An output whose steps did not run is said to be missing, not printed as "undefined".
    expect(text).toContain('    post: - (not produced: the steps it reads did not run)\n    count: 0\n');
    expect(text).not.toContain('undefined');
  });

  it('says clearly when the text was written offline', () => {
    const summary = summarizeRun(record, 'out', 'out/run.json');
    expect(summary.usage?.offline).toBe(true);
    expect(formatUsage(summary.usage)).toContain('Written OFFLINE');
  });

  it('explains offline text by the providers that did not answer, rather than by a missing configuration', () => {
    const summary = summarizeRun(record, 'out', 'out/run.json');
    const fallbacks = [{ provider: 'openai', calls: 2, codes: ['PROVIDER_UNAVAILABLE'], to: ['offline'] }];
    const text = formatUsage(summary.usage, fallbacks);
    expect(text).toContain('Written OFFLINE');
    expect(text).toContain('openai did not answer 2 calls (PROVIDER_UNAVAILABLE): they went to offline.');
    expect(text).not.toContain('Configure a provider');
    expect(formatRunSummary({ ...summary, fallbacks })).toContain('  provider fallbacks:\n    openai did not answer 2 calls');
    expect(formatRunSummary(summary)).not.toContain('provider fallbacks');
  });

  it('names the providers that answered, and does not claim offline when a model answered', () => {
    const online = summarizeRun(
      {
        ...record,
        usage: {
          inputTokens: 10,
          outputTokens: 5,
          costUsd: 0.0123,
          calls: 3,
          byProvider: {
            openai: { calls: 2, inputTokens: 8, outputTokens: 4, costUsd: 0.0123 },
            offline: { calls: 1, inputTokens: 2, outputTokens: 1, costUsd: 0 },
          },
        },
      },
      'out',
      'out/run.json',
    );
    const text = formatUsage(online.usage);
    expect(text).toContain('3 calls, 10 input + 5 output tokens, $0.0123');
    expect(text).toContain('openai 2 calls, offline 1 call');
    expect(text).not.toContain('OFFLINE');
  });
});
