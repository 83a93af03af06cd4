import { describe, it, expect, vi, afterEach } from 'vitest';
import { createSimDelayAgent } from './sim-delay-agent.ts';
import { simNoopAgent } from './sim-noop-agent.ts';
import { InvocationRecorder } from './invocation-recorder.ts';
import { AgentRegistry } from '../agents/agent-registry.ts';
import type { AgentContext } from '../agents/agent-definition.ts';
import { StateStore } from '../state/state-store.ts';
import { createStagedStateView } from '../state/staged-state-view.ts';
import { noopSpan } from '../telemetry/tracer.ts';
import { isUcopError, UcopError } from '../errors/ucop-error.ts';
import type { Clock } from '../engine/clock.ts';

function context(overrides: { signal?: AbortSignal; attempt?: number; itemIndex?: number; writes?: string[] } = {}) {
  const store = new StateStore({ notes: { reducer: 'append' } });
  const state = createStagedStateView(store, overrides.writes ?? ['notes'], 'step');
  const ctx: AgentContext = {
    signal: overrides.signal ?? new AbortController().signal,
    logger: { log() {}, debug() {}, info() {}, warn() {}, error() {} },
    state,
    llm: { generate: () => Promise.reject(new Error('no llm in sim tests')) },
    artifacts: { root: '/tmp', write: () => Promise.reject(new Error('unused')), resolve: (p) => p },
    span: noopSpan,
    run: { runId: 'r1', workflow: 'wf', stepId: 'step', itemIndex: overrides.itemIndex, attempt: overrides.attempt ?? 1 },
  };
  return { ctx, state };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('sim.delay', () => {
  it('registers next to sim.noop', () => {
    const registry = new AgentRegistry([createSimDelayAgent(), simNoopAgent]);
    expect(registry.names()).toEqual(['sim.delay', 'sim.noop']);
  });

  it('waits ms, returns the default output and records the invocation', async () => {
    vi.useFakeTimers();
    const recorder = new InvocationRecorder();
    const agent = createSimDelayAgent(recorder);
    const { ctx } = context({ itemIndex: 2 });
    let settled = false;
    const result = agent.run(ctx, { ms: 100 }).then((v) => {
      settled = true;
      return v;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(settled).toBe(false);
    expect(recorder.all()[0]?.outcome).toBe('running');
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toEqual({ ms: 100, stepId: 'step', itemIndex: 2 });
    const [rec] = recorder.all();
    expect(rec).toMatchObject({ runId: 'r1', stepId: 'step', itemIndex: 2, attempt: 1, outcome: 'ok' });
    expect(rec!.endedAt! - rec!.startedAt).toBe(100);
    expect(recorder.count('step')).toBe(1);
    expect(recorder.count('step', 2)).toBe(1);
    expect(recorder.count('step', 0)).toBe(0);
  });

  it('returns `output` as is and omits itemIndex outside a fan-out', async () => {
    const agent = createSimDelayAgent();
    expect(await agent.run(context().ctx, { ms: 0, output: { a: [1] } })).toEqual({ a: [1] });
    expect(await agent.run(context().ctx, { ms: 0 })).toEqual({ ms: 0, stepId: 'step' });
  });

  it('fails its first fail_attempts attempts with the given code and retryability', async () => {
    const agent = createSimDelayAgent();
    const failure = await agent.run(context({ attempt: 2 }).ctx, { ms: 0, fail_attempts: 2, error: 'PROVIDER_HTTP', retryable: false }).catch((e: unknown) => e);
    expect(isUcopError(failure) && failure.code).toBe('PROVIDER_HTTP');
    expect(isUcopError(failure) && failure.retryable).toBe(false);
    const retryable = await agent.run(context({ attempt: 1 }).ctx, { ms: 0, fail_attempts: 1 }).catch((e: unknown) => e);
    expect(isUcopError(retryable) && [retryable.code, retryable.retryable]).toEqual(['AGENT_ERROR', true]);
    await expect(agent.run(context({ attempt: 3 }).ctx, { ms: 0, fail_attempts: 2 })).resolves.toBeDefined();
  });

  it('stages `write` on success only', async () => {
    const agent = createSimDelayAgent();
    const ok = context();
    await agent.run(ok.ctx, { ms: 0, write: { notes: 'n1' } });
    expect(ok.state.drain()).toEqual([{ key: 'notes', value: 'n1' }]);
    const failing = context();
    await agent.run(failing.ctx, { ms: 0, fail_attempts: 1, write: { notes: 'n1' } }).catch(() => undefined);
    expect(failing.state.drain()).toEqual([]);
  });

  it('rejects promptly with the signal’s reason on abort', async () => {
    vi.useFakeTimers();
    const recorder = new InvocationRecorder();
    const agent = createSimDelayAgent(recorder);
    const controller = new AbortController();
    const reason = new UcopError('STEP_TIMEOUT', 'timed out', { retryable: true });
    const result = agent.run(context({ signal: controller.signal }).ctx, { ms: 10_000 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    controller.abort(reason);
    expect(await result).toBe(reason);
    expect(recorder.all()[0]).toMatchObject({ outcome: 'aborted', endedAt: 50 });
    expect(vi.getTimerCount()).toBe(0); // the sleep's timer was cleared
  });

  it('keeps going after abort with ignore_abort', async () => {
    vi.useFakeTimers();
    const recorder = new InvocationRecorder();
    const agent = createSimDelayAgent(recorder);
    const controller = new AbortController();
    const result = agent.run(context({ signal: controller.signal }).ctx, { ms: 1000, ignore_abort: true, output: 'late' });
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('stop'));
    await vi.advanceTimersByTimeAsync(990);
    expect(await result).toBe('late');
    expect(recorder.all()[0]).toMatchObject({ outcome: 'ok', endedAt: 1000 });
  });

  it('busy-loops with cpu: true, on an injected clock', async () => {
    let t = 0;
    let sleeps = 0;
    const clock: Clock = {
      now: () => (t += 1),
      sleep: () => {
        sleeps += 1;
        return Promise.resolve();
      },
    };
    const agent = createSimDelayAgent(undefined, { clock });
    await agent.run(context().ctx, { ms: 20, cpu: true });
    expect(t).toBeGreaterThanOrEqual(20);
    expect(sleeps).toBe(0);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('already'));
    const agent = createSimDelayAgent();
    await expect(agent.run(context({ signal: controller.signal }).ctx, { ms: 10, cpu: true })).rejects.toThrow('already');
    await expect(agent.run(context({ signal: controller.signal }).ctx, { ms: 10 })).rejects.toThrow('already');
  });
});

describe('sim.noop', () => {
  it('returns output or null', async () => {
    expect(await simNoopAgent.run(context().ctx, {})).toBeNull();
    expect(await simNoopAgent.run(context().ctx, { output: 3 })).toBe(3);
  });
});
