import type { Diagnostic } from '../../errors/diagnostic.ts';
import type { AgentLookup } from '../../agents/agent-definition.ts';
import { validateWorkflowSource } from '../validate-workflow.ts';
import type { WorkflowValidation } from '../validate-workflow.ts';
import { blogAgents } from './fake-agents.ts';

/** The sections around the steps of a test workflow: inputs, env and state that tests can refer to. */
export const FIXTURE_HEADER = `version: 1
name: fixture
inputs:
  source: { type: string, required: true }
  count: { type: integer, default: 2 }
  topics: { type: array, items: { type: string } }
env:
  API_KEY: { description: a key }
state:
  sources: { reducer: append }
  title: { reducer: replace }
  total: { reducer: sum }
`;

/** Validates a workflow made of the fixture header, `steps:` and the given step lines (indented by 2). */
export function validateSteps(steps: string, options: { agents?: AgentLookup; extra?: string } = {}): WorkflowValidation & { source: string } {
  const source = `${FIXTURE_HEADER}${options.extra ?? ''}steps:\n${steps}`;
  return { source, ...validateWorkflowSource(source, 'wf.yaml', { agents: options.agents ?? blogAgents() }) };
}

/** The diagnostics as `[code, line, col, message, hint]` rows, easy to compare in a test. */
export function rows(diagnostics: readonly Diagnostic[]): [string, number, number, string, string | undefined][] {
  return diagnostics.map((d) => [d.code, d.line, d.col, d.message, d.hint]);
}
