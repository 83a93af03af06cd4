import type { AgentDefinition } from '@ucop/core';
import { backlogDecomposeAgent } from './backlog-decompose.ts';
import { backlogEpicsAgent } from './backlog-epics.ts';
import { backlogExportAgent } from './backlog-export.ts';
import { trackerExportAgent } from './tracker-export.ts';

/** The backlog pipeline's agents (workflows/backlog.yaml). */
export function backlogAgents(): AgentDefinition<never, unknown>[] {
  return [backlogEpicsAgent, backlogDecomposeAgent, backlogExportAgent, trackerExportAgent] as AgentDefinition<never, unknown>[];
}
