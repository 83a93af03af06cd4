import type { AgentDefinition, AgentLookup } from './agent-definition.ts';
import { UcopError } from '../errors/ucop-error.ts';

/** Holds agents by name; registering the same name twice is an error rather than a silent override. */
export class AgentRegistry implements AgentLookup {
  readonly #agents = new Map<string, AgentDefinition>();

  constructor(agents: Iterable<AgentDefinition> = []) {
    for (const agent of agents) this.register(agent);
  }

  register(agent: AgentDefinition): this {
    if (this.#agents.has(agent.name)) {
      throw new UcopError('CONFIG_INVALID', `agent "${agent.name}" is registered twice`, { fields: { agent: agent.name } });
    }
    this.#agents.set(agent.name, agent);
    return this;
  }

  get(name: string): AgentDefinition | undefined {
    return this.#agents.get(name);
  }

  names(): string[] {
    return [...this.#agents.keys()].sort();
  }

  list(): AgentDefinition[] {
    return this.names().map((n) => this.#agents.get(n)!);
  }
}
