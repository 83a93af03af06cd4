import { describe, it, expect } from 'vitest';
import type { AgentDefinition } from '../agents/agent-definition.ts';
import { buildPlan } from './testing/plan-builder.ts';
import { createSimHarness } from './testing/sim-harness.ts';

describe('attempts: timeouts', () => {
  it('aborts a step at its timeout: the agent stops, the step is timed_out with STEP_TIMEOUT fields', async () => {
    const plan = buildPlan({ steps: { slow: { with: { ms: 1_000 }, timeoutMs: 100 } } });
    const h = createSimHarness();
    const { record } = await h.run(plan);
    const [inv] = h.recorder.all();
    expect(inv).toMatchObject({ outcome: 'aborted', startedAt: 0, endedAt: 100 });
    expect(record.steps[0]).toMatchObject({ status: 'timed_out', attempts: 1, endMs: 100, error: { code: 'STEP_TIMEOUT' } });
    expect(record.status).toBe('failed');
    expect(record.wallMs).toBe(100);
  });

  it('retries a timed-out attempt (timeouts are retryable) with a fresh timeout', async () => {
    const plan = buildPlan({ steps: { slow: { with: { ms: 1_000 }, timeoutMs: 100, retry: { attempts: 2, delayMs: 10, backoff: 'fixed' } } } });
    const h = createSimHarness();
    const { record } = await h.run(plan, { random: () => 1 });
    expect(h.recorder.all().map((r) => [r.attempt, r.startedAt, r.endedAt, r.outcome])).toEqual([
      [1, 0, 100, 'aborted'],
      [2, 110, 210, 'aborted'],
    ]);
    expect(record.steps[0]).toMatchObject({ status: 'timed_out', attempts: 2 });
  });

  it('abandons an agent that ignores the abort after the grace, and discards its late output and writes', async () => {
    const plan = buildPlan({
      settings: { cancelGraceMs: 50 },
      state: { log: { reducer: 'append' } },
      steps: {
        stubborn: { with: { ms: 1_000, ignore_abort: true, write: { log: 'late' }, output: 'late' }, writes: ['log'], timeoutMs: 100 },
        after: { needs: ['stubborn'], with: { ms: 1 } },
      },
    });
    const h = createSimHarness();
    const { record, state } = await h.run(plan);
    expect(record.wallMs).toBe(150);
    expect(record.steps[0]).toMatchObject({ status: 'timed_out', endMs: 150 });
    expect(record.steps[1]).toMatchObject({ status: 'skipped', reason: 'dependency "stubborn" timed out (read steps.stubborn.status in if: to run anyway)' });
    expect(state).toEqual({ log: [] });
    // Let the abandoned agent finish: it tries to write and return, and nothing changes.
    await h.clock.advance(2_000);
    const inv = h.recorder.all()[0]!;
    expect(inv.endedAt).toBe(1_000);
    expect(inv.outcome).toBe('error'); // its write was refused: the staged view was sealed at the abort
    expect(state).toEqual({ log: [] });
  });

  it('discards the result of an agent that answers after its timeout even within the grace', async () => {
    let release: (v: unknown) => void = () => {};
    const late: AgentDefinition = {
      name: 'test.late',
      version: '1',
      description: 'answers when released, ignoring abort',
      inputSchema: {},
      outputSchema: {},
      estimateMs: 1,
      run: (ctx) =>
        new Promise((resolve) => {
          release = (v) => {
            try {
              ctx.state.write('log', 'late');
            } catch {
              // refused: expected
            }
            resolve(v);
          };
        }),
    };
    const plan = buildPlan({ settings: { cancelGraceMs: 1_000 }, state: { log: { reducer: 'append' } }, steps: { s: { agent: 'test.late', writes: ['log'], timeoutMs: 100 } } });
    const h = createSimHarness([late]);
    const done = h.run(plan);
    await h.clock.advance(150);
    release('answer');
    const { record, state } = await done;
    expect(record.steps[0]!.status).toBe('timed_out');
    expect(record.wallMs).toBe(150);
    expect(state).toEqual({ log: [] });
  });
});

describe('attempts: retries', () => {
  it('retries retryable failures with exponential backoff and jitter (mocked random)', async () => {
    const plan = buildPlan({
      steps: { flaky: { with: { ms: 10, fail_attempts: 2 }, retry: { attempts: 3, backoff: 'exponential', delayMs: 100, maxDelayMs: 1_000 } } },
    });
    const h = createSimHarness();
    const { record } = await h.run(plan, { random: () => 0.5 });
    // after attempt 1: base 100 -> 50 + 50*0.5 = 75; after attempt 2: base 200 -> 150.
    expect(h.recorder.all().map((r) => r.startedAt)).toEqual([0, 85, 245]);
    expect(record.steps[0]).toMatchObject({ status: 'succeeded', attempts: 3, startMs: 0, endMs: 255 });
    const retrying = h.events.filter((ev) => ev.type === 'step.retrying');
    expect(retrying.map((ev) => (ev as { delayMs: number }).delayMs)).toEqual([75, 150]);
  });

  it('caps the backoff at the maximum delay', async () => {
    const plan = buildPlan({ steps: { flaky: { with: { ms: 0, fail_attempts: 3 }, retry: { attempts: 4, backoff: 'exponential', delayMs: 100, maxDelayMs: 150 } } } });
    const h = createSimHarness();
    await h.run(plan, { random: () => 1 });
    expect(h.recorder.all().map((r) => r.startedAt)).toEqual([0, 100, 250, 400]);
  });

  it('does not retry errors that are not retryable', async () => {
    const plan = buildPlan({ steps: { broken: { with: { ms: 5, fail_attempts: 5, retryable: false }, retry: { attempts: 5, delayMs: 10 } } } });
    const h = createSimHarness();
    const { record } = await h.run(plan);
    expect(h.recorder.count('broken')).toBe(1);
    expect(record.steps[0]).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'AGENT_ERROR' } });
  });

  it('runs each attempt exactly once (no duplicate execution path)', async () => {
    const plan = buildPlan({ steps: { a: { with: { ms: 3, fail_attempts: 2 }, retry: { attempts: 3, delayMs: 1 } }, b: { with: { ms: 2 } } } });
    const h = createSimHarness();
    await h.run(plan, { random: () => 0 });
    expect(h.recorder.all().filter((r) => r.stepId === 'a').map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(h.recorder.count('b')).toBe(1);
    expect(h.events.filter((ev) => ev.type === 'step.started' && ev.stepId === 'a')).toHaveLength(3);
  });
});
