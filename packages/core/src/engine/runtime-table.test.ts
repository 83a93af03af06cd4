import { describe, it, expect } from 'vitest';
import { AgentRegistry } from '../agents/agent-registry.ts';
import { noopTracer } from '../telemetry/tracer.ts';
import { systemClock } from './clock.ts';
import { ParallelScheduler } from './parallel-scheduler.ts';
import { RunSession } from './run-session.ts';
import { RuntimeTable } from './runtime-table.ts';
import type { StepExecutor } from './step-executor.ts';
import { createStepRuntime } from './step-runtime.ts';
import { buildPlan } from './testing/plan-builder.ts';

const plan = buildPlan({
  steps: { a: { agent: 'x' }, b: { agent: 'y' }, c: { needs: ['a', 'b'], agent: 'x' }, d: { needs: ['c'], agent: 'z' } },
});

describe('RuntimeTable', () => {
  it('creates a top-level runtime the first time it is asked for, once', () => {
    const table = new RuntimeTable(plan);
    const c = table.get('c');
    expect(c.step).toBe(plan.steps.c);
    expect(table.get('c')).toBe(c);
    expect(c.pendingDeps).toBe(2);
    // Its dependencies are resolved when it opens (they exist by then), not when it is created.
    expect(c.deps).toEqual([]);
    table.resolveDeps(c);
    expect(c.deps).toEqual([table.get('a'), table.get('b')]);
  });

  it('starts with the roots alone and counts every top-level step as pending from the start', () => {
    const table = new RuntimeTable(plan);
    expect(table.roots().map((rt) => rt.step.id)).toEqual(['a', 'b']);
    expect(table.pending).toBe(4);
    table.register(createStepRuntime({ ...plan.steps.d!, id: 'inner' }));
    expect(table.pending).toBe(5);
    expect(table.everything().map((rt) => rt.step.id)).toEqual(['a', 'b', 'c', 'd', 'inner']);
  });

  it('surveys the plan once: its agents, and finds runtimes by stable id once indexing is on', () => {
    const table = new RuntimeTable(plan);
    expect([...table.survey().agents].sort()).toEqual(['x', 'y', 'z']);
    const inner = createStepRuntime({ ...plan.steps.d!, id: 'g[0].inner' });
    table.register(inner);
    expect(table.byStableId('g[0].inner')).toBeUndefined();
    const created: string[] = [];
    table.indexAll((rt) => created.push(rt.step.id));
    expect(table.byStableId('g[0].inner')).toBe(inner);
    expect(table.byStableId('d')?.step.id).toBe('d');
    expect(created).toEqual(['d']);
    expect(table.byStableId('nope')).toBeUndefined();
  });
});

describe('a large run starts at once', () => {
  it('calls the first agent before the pass over every step (agents prepared, follow-ups looked for)', async () => {
    // 5,000 steps in 50 layers: the first call must come before anything walks the whole plan. The order is
    // observed, not timed.
    const steps: Record<string, { agent: string; needs: string[] }> = {};
    for (let i = 0; i < 5_000; i += 1) steps[`s${i}`] = { agent: 'sim.noop', needs: i >= 100 ? [`s${i - 100}`] : [] };
    const big = buildPlan({ steps, settings: { maxSteps: 10_000 } });
    const order: string[] = [];
    const executor: StepExecutor = {
      execute: () => {
        if (order.length === 0) order.push('first call');
        return Promise.resolve({ ok: true, output: null, writes: [] });
      },
    };
    const session = new RunSession({
      plan: big,
      engine: 'parallel',
      maxParallel: 8,
      failFast: true,
      runId: 'r',
      inputs: {},
      env: {},
      clock: systemClock,
      tracer: noopTracer,
      onEvent: undefined,
      agents: new AgentRegistry([]),
      executor: () => executor,
      prepareAgents: (agents) => order.push(`prepare ${[...agents].join(',')}`),
      random: Math.random,
      recorder: undefined,
      resume: undefined,
      rerun: new Set(),
      altered: new Set(),
      signal: undefined,
    });
    session.begin();
    await new ParallelScheduler(session, 'critical-path').run();
    session.dispose();
    expect(session.complete).toBe(true);
    expect(order).toEqual(['first call', 'prepare sim.noop']);
    expect(session.table.inPlanOrder().every((rt) => rt.status === 'succeeded')).toBe(true);
  });
});
