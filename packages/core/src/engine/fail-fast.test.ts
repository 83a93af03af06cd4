import { describe, it, expect, vi } from 'vitest';
import { StateStore } from '../state/state-store.ts';
import type { AgentDefinition } from '../agents/agent-definition.ts';
import { UcopError } from '../errors/ucop-error.ts';
import { runWorkflow } from './run-workflow.ts';
import { buildPlan } from './testing/plan-builder.ts';
import { createSimHarness } from './testing/sim-harness.ts';

function plan(failFast: boolean) {
  return buildPlan({
    settings: { maxParallel: 3, failFast, cancelGraceMs: 20 },
    state: { log: { reducer: 'append' }, total: { reducer: 'sum' } },
    steps: {
      boom: { with: { ms: 50, fail_attempts: 1, retryable: false }, estimateMs: 1_000 },
      polite: { with: { ms: 200, write: { log: 'polite', total: 1 } }, writes: ['log', 'total'], estimateMs: 900 },
      stubborn: { with: { ms: 200, ignore_abort: true, write: { log: 'stubborn', total: 10 } }, writes: ['log', 'total'], estimateMs: 800 },
      queued: { with: { ms: 10, write: { log: 'queued' } }, writes: ['log'], estimateMs: 10 },
      downstream: { needs: ['polite'], with: { ms: 10 } },
    },
  });
}

describe('fail-fast', () => {
  it('aborts running siblings, starts nothing new, rejects their late writes and gathers the error', async () => {
    const h = createSimHarness();
    const { record, state } = await h.run(plan(true));
    expect(record.status).toBe('failed');
    expect(record.errors).toEqual([expect.objectContaining({ code: 'AGENT_ERROR' })]);
    const by = (id: string) => record.steps.find((s) => s.id === id)!;
    expect(by('boom').status).toBe('failed');
    expect(by('polite')).toMatchObject({ status: 'cancelled', endMs: 50, error: { code: 'STEP_CANCELLED' } });
    // The stubborn agent ignores the signal: abandoned after the 20 ms grace.
    expect(by('stubborn')).toMatchObject({ status: 'cancelled', endMs: 70 });
    // Steps that never started say which step stopped the run, not that step's own message.
    expect(by('queued')).toMatchObject({ status: 'cancelled', reason: 'not started: the run stopped because step "boom" failed (fail_fast)' });
    expect(by('downstream')).toMatchObject({ status: 'cancelled', reason: 'not started: the run stopped because step "boom" failed (fail_fast)' });
    expect(h.recorder.count('queued')).toBe(0);
    expect(h.recorder.count('downstream')).toBe(0);
    expect(h.recorder.all().find((r) => r.stepId === 'polite')).toMatchObject({ outcome: 'aborted', endedAt: 50 });
    expect(record.wallMs).toBe(70);
    expect(state).toEqual({ log: [], total: 0 });
    // The stubborn agent finishes its sleep much later and tries to write: refused, state unchanged.
    await h.clock.advance(500);
    expect(h.recorder.all().find((r) => r.stepId === 'stubborn')).toMatchObject({ endedAt: 200, outcome: 'error' });
    expect(state).toEqual({ log: [], total: 0 });
  });

  it('without fail-fast, independent branches carry on and only dependents of the failure are skipped', async () => {
    const h = createSimHarness();
    const { record, state } = await h.run(plan(false));
    expect(record.status).toBe('failed');
    const by = (id: string) => record.steps.find((s) => s.id === id)!;
    expect(['polite', 'stubborn', 'queued', 'downstream'].map((id) => by(id).status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(state).toEqual({ log: ['polite', 'stubborn', 'queued'], total: 11 });
    expect(record.errors.map((e) => e.code)).toEqual(['AGENT_ERROR']);
  });

  it('gathers every failure that happens before the stop reaches the other steps', async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const failing: AgentDefinition = {
      name: 'test.gate',
      version: '1',
      description: 'fails with the given code when the gate opens',
      inputSchema: {},
      outputSchema: {},
      estimateMs: 1,
      async run(_ctx, input) {
        await gate;
        throw new UcopError(input.code as 'AGENT_ERROR', `failed: ${String(input.code)}`);
      },
    };
    const p = buildPlan({
      settings: { maxParallel: 4, failFast: true },
      steps: { a: { agent: 'test.gate', with: { code: 'AGENT_ERROR' } }, b: { agent: 'test.gate', with: { code: 'PROVIDER_HTTP' } }, c: { with: { ms: 100 } } },
    });
    const h = createSimHarness([failing]);
    const done = runWorkflow(p, { inputs: {}, agents: h.agents, clock: h.clock });
    await h.clock.advance(5);
    open();
    const { record } = await h.clock.runUntil(done);
    expect(record.status).toBe('failed');
    expect(record.errors.map((e) => e.code)).toEqual(['AGENT_ERROR', 'PROVIDER_HTTP']);
    expect(record.steps.map((s) => s.status)).toEqual(['failed', 'failed', 'cancelled']);
  });

  it('ends a backoff sleep at once when the run fails fast', async () => {
    const p = buildPlan({
      settings: { maxParallel: 2, failFast: true },
      steps: {
        boom: { with: { ms: 50, fail_attempts: 1, retryable: false } },
        retrying: { with: { ms: 10, fail_attempts: 5 }, retry: { attempts: 5, delayMs: 10_000, maxDelayMs: 10_000, backoff: 'fixed' } },
      },
    });
    const h = createSimHarness();
    const { record } = await h.run(p, { random: () => 1 });
    expect(record.wallMs).toBe(50);
    expect(record.steps.find((s) => s.id === 'retrying')).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(h.recorder.count('retrying')).toBe(1);
  });

  it('does not fail fast on a continue_on_error step', async () => {
    const p = buildPlan({
      settings: { failFast: true },
      steps: { soft: { with: { ms: 5, fail_attempts: 1, retryable: false }, continueOnError: true }, other: { with: { ms: 50 } } },
    });
    const { record } = await createSimHarness().run(p);
    expect(record.status).toBe('succeeded');
    expect(record.steps.find((s) => s.id === 'other')!.status).toBe('succeeded');
  });

  it('applies the same rules in the sequential engine', async () => {
    const h = createSimHarness();
    const { record, state } = await h.run(plan(true), { engine: 'sequential' });
    expect(record.engine).toBe('sequential');
    expect(record.status).toBe('failed');
    // boom runs first (plan order) and fails: nothing else starts.
    expect(h.recorder.all().map((r) => r.stepId)).toEqual(['boom']);
    expect(record.steps.slice(1).every((s) => s.status === 'cancelled')).toBe(true);
    expect(state).toEqual({ log: [], total: 0 });
  });
});

describe('commits of stopped attempts', () => {
  it('rejects the writes of an attempt that is stopped while its commit waits for the state lock', async () => {
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const original = StateStore.prototype.commit;
    let waiting: () => void = () => {};
    const commitWaiting = new Promise<void>((resolve) => (waiting = resolve));
    const spy = vi.spyOn(StateStore.prototype, 'commit').mockImplementation(async function (this: StateStore, writer, writes, isCurrent) {
      waiting();
      await gate;
      return original.call(this, writer, writes, isCurrent);
    });
    try {
      const p = buildPlan({ state: { log: { reducer: 'append' } }, steps: { a: { with: { ms: 10, write: { log: 'a' } }, writes: ['log'] } } });
      const h = createSimHarness();
      const controller = new AbortController();
      const done = runWorkflow(p, { inputs: {}, agents: h.agents, clock: h.clock, signal: controller.signal });
      await h.clock.advance(10);
      await commitWaiting;
      controller.abort();
      openGate();
      const { record, state } = await h.clock.runUntil(done);
      expect(record.steps[0]).toMatchObject({ status: 'cancelled' });
      expect(state).toEqual({ log: [] });
      expect(h.recorder.all()[0]!.outcome).toBe('ok');
    } finally {
      spy.mockRestore();
    }
  });
});
