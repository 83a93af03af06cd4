import { AgentRegistry, InvocationRecorder, createSimDelayAgent, simNoopAgent } from '@ucop/core';
import type { AgentLookup } from '@ucop/core';

/** The simulated agents of a synthetic run, and the recorder that counts their invocations. */
export interface SimAgents {
  agents: AgentLookup;
  recorder: InvocationRecorder;
}

/** Builds fresh simulated agents; injected so that tests can substitute a misbehaving agent. */
export type SimAgentsFactory = () => SimAgents;

/** `sim.delay` (recording into a new recorder) and `sim.noop`. */
export const createSimAgents: SimAgentsFactory = () => {
  const recorder = new InvocationRecorder();
  return { agents: new AgentRegistry([createSimDelayAgent(recorder), simNoopAgent]), recorder };
};
