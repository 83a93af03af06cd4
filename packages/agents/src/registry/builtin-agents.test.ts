import { describe, expect, it } from 'vitest';
import { builtinAgents } from './builtin-agents.ts';

type PropertySchema = { description?: unknown };

describe('builtinAgents', () => {
  // `ucop agents <name>` prints these descriptions: an input without one leaves the user guessing.
  it('describes every input of every built-in agent in one line', () => {
    const gaps: string[] = [];
    for (const agent of builtinAgents()) {
      const properties = (agent.inputSchema as { properties?: Record<string, PropertySchema> }).properties ?? {};
      for (const [name, schema] of Object.entries(properties)) {
        const { description } = schema;
        if (typeof description !== 'string' || description.trim().length < 10 || description.includes('\n')) gaps.push(`${agent.name}.${name}`);
      }
    }
    expect(gaps).toEqual([]);
  });

  it('checks agents that have inputs (the test above can fail)', () => {
    const withInputs = builtinAgents().filter((agent) => Object.keys((agent.inputSchema as { properties?: object }).properties ?? {}).length > 0);
    expect(withInputs.map((a) => a.name)).toEqual(expect.arrayContaining(['assemble.post', 'links.check', 'seo.metadata', 'writer.section', 'code.generate']));
  });
});
