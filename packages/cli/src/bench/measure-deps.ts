import type { Clock } from '@ucop/core';
import type { EngineRunner, WorkflowCompiler } from './engine-harness.ts';
import type { SimAgentsFactory } from './sim-agents.ts';

/**
 * What running synthetic workloads needs: a compiler, an engine, simulated agents and a clock. Every piece is
 * a parameter so that verify's tests can break one (an engine that ignores timeouts, an agent that runs
 * twice) and see the check fail. `createCoreHarness()` gives the real ones.
 */
export interface MeasureDeps {
  compile: WorkflowCompiler;
  run: EngineRunner;
  simAgents: SimAgentsFactory;
  /** Measures wall times. */
  clock: Clock;
}
