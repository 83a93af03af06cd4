import { setTimeout as sleep } from 'node:timers/promises';
import { AgentRegistry, defineAgent } from '@ucop/core';

/** The benchmark's agents: `bench.io` waits `ms` (simulated I/O: no CPU), `bench.noop` returns at once. */
export function benchAgents(): AgentRegistry {
  return new AgentRegistry([
    defineAgent<{ ms: number }>({
      name: 'bench.io',
      version: '1',
    estimateMs: 1,
      description: 'waits ms (simulated I/O)',
      inputSchema: {},
      outputSchema: {},
      run: async (ctx, input) => {
        await sleep(input.ms, undefined, { signal: ctx.signal });
        return input.ms;
      },
    }),
    defineAgent({ name: 'bench.noop', version: '1',
    estimateMs: 1, description: 'does nothing', inputSchema: {}, outputSchema: {}, run: async () => null }),
  ]);
}
