import type { AgentContext } from '@ucop/core';
import type { Source } from '../sources/source.ts';

/** The `state_key` input shared by the ingestion agents. */
export const STATE_KEY_PROPERTY = {
  type: 'string',
  pattern: '^([a-z][a-z0-9_]*)?$',
  description: "state key that receives the sources (the step must list it under writes:); '' writes none",
  default: 'sources',
} as const;

/** Writes sources to the state key (one write: the `append` reducer adds each item). Nothing to write, no write. */
export function writeSources(ctx: AgentContext, key: string | undefined, sources: readonly Source[]): void {
  const target = key ?? 'sources';
  if (target === '' || sources.length === 0) return;
  ctx.state.write(target, sources);
}
