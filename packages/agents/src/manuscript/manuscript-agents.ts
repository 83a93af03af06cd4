import type { AgentDefinition } from '@ucop/core';
import { manuscriptAnalyzeAgent } from './manuscript-analyze.ts';
import { manuscriptAssembleAgent } from './manuscript-assemble.ts';
import { manuscriptCheckAgent } from './manuscript-check.ts';
import { manuscriptExpandAgent } from './manuscript-expand.ts';
import { manuscriptFixAgent } from './manuscript-fix.ts';
import { manuscriptPolishAgent } from './manuscript-polish.ts';
import { manuscriptSplitAgent } from './manuscript-split.ts';

/** The manuscript editor's agents (workflows/manuscript_edit.yaml), each typed by its own input. */
export function manuscriptAgents(): AgentDefinition<never, unknown>[] {
  return [manuscriptSplitAgent, manuscriptAnalyzeAgent, manuscriptExpandAgent, manuscriptPolishAgent, manuscriptCheckAgent, manuscriptFixAgent, manuscriptAssembleAgent] as AgentDefinition<never, unknown>[];
}
