import type { Command } from 'commander';
import { EXIT_CODES } from '@ucop/core';
import type { AgentDefinition, JsonSchema } from '@ucop/core';
import { globalOptions } from '../command-context.ts';
import type { CommandContext } from '../command-context.ts';
import { loadProjectContext } from '../project-context.ts';

interface AgentsOptions {
  json?: boolean;
}

/** One field of an agent's input or output, as `ucop agents` lists it. */
export interface AgentField {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

export interface AgentSummary {
  name: string;
  version: string;
  description: string;
  estimateMs: number;
  inputs: AgentField[];
  outputs: AgentField[];
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
}

/** `ucop agents`: the built-in and plugin agents with their inputs and outputs. */
export function registerAgentsCommand(program: Command, ctx: CommandContext): void {
  program
    .command('agents')
    .description('list the available agents with their inputs and outputs')
    .option('--json', 'print the agents and their full JSON Schemas as one JSON document')
    .action(async (options: AgentsOptions, command: Command) => {
      const { io } = ctx;
      const project = await loadProjectContext(io, globalOptions(command));
      const agents = project.agents.list().map(summarizeAgent);
      io.stdout.write(options.json ? `${JSON.stringify({ agents }, null, 2)}\n` : formatAgents(agents));
      ctx.setExitCode(EXIT_CODES.success);
    });
}

export function summarizeAgent(agent: AgentDefinition): AgentSummary {
  return {
    name: agent.name,
    version: agent.version,
    description: agent.description,
    estimateMs: agent.estimateMs,
    inputs: schemaFields(agent.inputSchema),
    outputs: schemaFields(agent.outputSchema),
    inputSchema: agent.inputSchema,
    outputSchema: agent.outputSchema,
  };
}

/** The top-level properties of an object schema, with a short type such as `string`, `array<string>`. */
export function schemaFields(schema: JsonSchema): AgentField[] {
  const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as string[]) : []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    type: typeName(property),
    required: required.has(name),
    ...(typeof property['description'] === 'string' ? { description: property['description'] } : {}),
  }));
}

function typeName(schema: JsonSchema): string {
  const type = schema['type'];
  if (Array.isArray(type)) return type.join('|');
  if (type === 'array' && schema['items'] && typeof schema['items'] === 'object') return `array<${typeName(schema['items'] as JsonSchema)}>`;
  if (typeof type === 'string') return type;
  if (Array.isArray(schema['enum'])) return (schema['enum'] as unknown[]).map((v) => JSON.stringify(v)).join('|');
  if (Array.isArray(schema['anyOf']) || Array.isArray(schema['oneOf'])) {
    const options = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[];
    return options.map(typeName).join('|');
  }
  return 'any';
}

export function formatAgents(agents: readonly AgentSummary[]): string {
  const lines: string[] = [];
  for (const agent of agents) {
    lines.push(`${agent.name} (v${agent.version})`);
    lines.push(`  ${agent.description}`);
    lines.push(`  inputs:  ${formatFields(agent.inputs)}`);
    lines.push(`  outputs: ${formatFields(agent.outputs)}`);
    lines.push('');
  }
  lines.push(`${agents.length} agent${agents.length === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

function formatFields(fields: readonly AgentField[]): string {
  if (fields.length === 0) return '(none)';
  return fields.map((f) => `${f.name}${f.required ? '' : '?'}: ${f.type}`).join(', ');
}
