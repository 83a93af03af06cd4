import type { AgentLookup } from '../agents/agent-definition.ts';
import type { JsonSchema, StepSpec } from './workflow-document.ts';
import { isRecord } from './workflow-normalize.ts';

/**
 * The output schema a step is known to produce before the run: the one the step itself declares through its
 * literal `with:` (an agent's `outputSchemaFor`, e.g. `llm.generate`'s `output_schema`), else the agent's
 * `outputSchema`. `declared` says whether the step declared it (then references to fields it does not list are
 * mistakes worth reporting); undefined when the agent is unknown.
 */
export function declaredOutputSchema(agents: AgentLookup, step: StepSpec | undefined): { schema: JsonSchema; declared: boolean } | undefined {
  // A fan-out's output is the list of its items' outputs, and a group's is its own map: no agent schema
  // describes either.
  if (!step || step.for_each !== undefined || typeof step.agent !== 'string') return undefined;
  const raw = step as unknown as Record<string, unknown>;
  if (raw.steps !== undefined || raw.uses !== undefined || raw.follow_up !== undefined) return undefined;
  const agent = agents.get(step.agent);
  if (!agent) return undefined;
  if (agent.outputSchemaFor && isRecord(step.with)) {
    try {
      const schema = agent.outputSchemaFor(step.with);
      if (schema) return { schema, declared: true };
    } catch {
      // An unreadable schema file is reported by the agent's own input checks and at run time.
    }
  }
  return { schema: agent.outputSchema, declared: false };
}
