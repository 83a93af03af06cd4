import type { AgentDefinition } from '../agents/agent-definition.ts';

/** The `with:` of a `sim.noop` step. */
// A type alias, not an interface: aliases get an implicit index signature, so the agent fits AgentDefinition.
export type SimNoopInput = {
  /** Returned as is. @default null */
  output?: unknown;
};

/**
 * The built-in `sim.noop` agent: returns at once and records nothing, so that benchmarks measure the
 * engine's own per-step overhead.
 */
export const simNoopAgent: AgentDefinition<SimNoopInput> = {
  name: 'sim.noop',
  version: '1',
  description: 'Returns `output` (or null) at once; for engine overhead benchmarks.',
  inputSchema: { type: 'object', additionalProperties: false, properties: { output: { description: 'returned as is' } } },
  outputSchema: {},
  estimateMs: 0,
  run(_ctx, input) {
    return Promise.resolve(input.output ?? null);
  },
};
