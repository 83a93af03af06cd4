import { AgentRegistry, simNoopAgent } from '@ucop/core';
import type { AgentDefinition, CompiledPlan } from '@ucop/core';
import type { EngineRunner } from '../../bench/engine-harness.ts';
import { createSimAgents, type SimAgentsFactory } from '../../bench/sim-agents.ts';

/**
 * Deliberately broken pieces for verify's own tests: each one breaks the property one check proves, so that
 * the tests can show the check failing with a clear reason. A verify that cannot fail is worthless.
 */

/** sim.delay that runs every invocation twice: the duplicate execution exactly-once must catch. */
export const runsTwiceSimAgents: SimAgentsFactory = () => {
  const real = createSimAgents();
  const delay = real.agents.get('sim.delay')!;
  const twice: AgentDefinition = {
    ...delay,
    async run(ctx, input) {
      await delay.run(ctx, input);
      return delay.run(ctx, input);
    },
  };
  return { agents: new AgentRegistry([twice, simNoopAgent]), recorder: real.recorder };
};

/** A copy of the plan deep enough to change its settings and steps (the source map is shared). */
function withPlan(plan: CompiledPlan, change: (copy: CompiledPlan) => void): CompiledPlan {
  const steps = Object.fromEntries(Object.entries(plan.steps).map(([id, step]) => [id, { ...step }]));
  const copy: CompiledPlan = { ...plan, settings: { ...plan.settings }, steps };
  change(copy);
  return copy;
}

/** An engine that ignores step timeouts: every step gets ten minutes, whatever the workflow says. */
export function ignoringTimeouts(run: EngineRunner): EngineRunner {
  return (request) =>
    run({
      ...request,
      plan: withPlan(request.plan, (p) => {
        p.settings.stepTimeoutMs = 600_000;
        for (const step of Object.values(p.steps)) step.timeoutMs = 600_000;
      }),
    });
}

/** An engine whose fail-fast lets running siblings finish and commit their writes. */
export function lettingSiblingsFinish(run: EngineRunner): EngineRunner {
  return (request) => run({ ...request, plan: withPlan(request.plan, (p) => (p.settings.failFast = false)) });
}

/** An engine whose resume reruns everything. */
export function rerunningOnResume(run: EngineRunner): EngineRunner {
  return (request) => run({ ...request, resume: false });
}

/** An engine that runs sequentially when asked for parallel. */
export function sequentialWhenParallel(run: EngineRunner): EngineRunner {
  return (request) => run({ ...request, engine: 'sequential' });
}
