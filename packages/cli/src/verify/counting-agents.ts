import type { AgentDefinition, AgentLookup } from '@ucop/core';

/** Agents that note every invocation (`step[item] attempt n`), for the exactly-once and resume checks of shipped workflows. */
export interface CountingAgents {
  lookup: AgentLookup;
  /** Invocations so far, in the order they started. */
  invocations(): string[];
}

/** Wraps each agent of `agents` so that its runs are noted; the agents themselves are unchanged. */
export function countingAgents(agents: AgentLookup): CountingAgents {
  const calls: string[] = [];
  const wrapped = new Map<string, AgentDefinition>();
  return {
    lookup: {
      names: () => agents.names(),
      get(name) {
        const agent = agents.get(name);
        if (agent === undefined) return undefined;
        let counted = wrapped.get(name);
        if (counted === undefined) {
          counted = {
            ...agent,
            run(ctx, input) {
              const { stepId, itemIndex, attempt } = ctx.run;
              calls.push(`${stepId}${itemIndex === undefined ? '' : `[${itemIndex}]`} attempt ${attempt}`);
              return agent.run(ctx, input);
            },
          };
          if (agent.estimate) counted.estimate = agent.estimate.bind(agent);
          wrapped.set(name, counted);
        }
        return counted;
      },
    },
    invocations: () => [...calls],
  };
}
