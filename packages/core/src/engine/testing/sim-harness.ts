import { AgentRegistry } from '../../agents/agent-registry.ts';
import type { AgentDefinition } from '../../agents/agent-definition.ts';
import type { CompiledPlan } from '../../plan/plan-types.ts';
import { createSimDelayAgent } from '../../sim/sim-delay-agent.ts';
import { simNoopAgent } from '../../sim/sim-noop-agent.ts';
import { InvocationRecorder } from '../../sim/invocation-recorder.ts';
import type { RunEvent } from '../run-events.ts';
import type { RunOptions, RunResult } from '../run-options.ts';
import { runWorkflow } from '../run-workflow.ts';
import { FakeClock } from './fake-clock.ts';

/** A fake clock, an invocation recorder and the sim agents wired to both: the engine tests' workbench. */
export interface SimHarness {
  clock: FakeClock;
  recorder: InvocationRecorder;
  agents: AgentRegistry;
  events: RunEvent[];
  /** Runs the plan on the fake clock until it finishes. */
  run(plan: CompiledPlan, options?: Partial<RunOptions>): Promise<RunResult>;
}

export function createSimHarness(extraAgents: AgentDefinition[] = []): SimHarness {
  const clock = new FakeClock();
  const recorder = new InvocationRecorder({ now: () => clock.now() });
  const agents = new AgentRegistry([createSimDelayAgent(recorder, { clock }) as unknown as AgentDefinition, simNoopAgent as unknown as AgentDefinition, ...extraAgents]);
  const events: RunEvent[] = [];
  return {
    clock,
    recorder,
    agents,
    events,
    run(plan, options = {}) {
      const done = runWorkflow(plan, { inputs: {}, agents, clock, onEvent: (e) => events.push(e), runId: 'test-run', ...options });
      return clock.runUntil(done);
    },
  };
}
