import type { Command } from 'commander';
import { EXIT_CODES, UcopError, didYouMeanHint } from '@ucop/core';
import type { AgentDefinition, JsonSchema } from '@ucop/core';
import { globalOptions } from '../command-context.ts';
import type { CommandContext } from '../command-context.ts';
import { formatDuration } from '../duration-format.ts';
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
  /** The value used when the field is left out (from the schema's `default`). */
  default?: unknown;
  /** What the value must be beyond its type: range, pattern, allowed values. */
  constraints?: string;
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
    .description('list the available agents with their inputs and outputs; with a name, what each input and output means')
    .argument('[name]', 'one agent, e.g. sim.delay: every input and output with its type, default, limits and description')
    .option('--json', 'print the agents (or the one named) and their full JSON Schemas as one JSON document')
    .action(async (name: string | undefined, options: AgentsOptions, command: Command) => {
      const { io } = ctx;
      const project = await loadProjectContext(io, globalOptions(command));
      const agents = project.agents.list().map(summarizeAgent);
      if (name === undefined) {
        io.stdout.write(options.json ? `${JSON.stringify({ agents }, null, 2)}\n` : formatAgents(agents));
      } else {
        const agent = agents.find((a) => a.name === name);
        if (!agent) {
          const hint = didYouMeanHint(name, agents.map((a) => a.name));
          throw new UcopError('USAGE', `there is no agent "${name}"${hint ? ` (${hint})` : ''}; \`ucop agents\` lists them`, { fields: { agent: name } });
        }
        io.stdout.write(options.json ? `${JSON.stringify(agent, null, 2)}\n` : formatAgentDetail(agent));
      }
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
  return Object.entries(properties).map(([name, property]) => {
    const constraints = constraintsOf(property);
    return {
      name,
      type: typeName(property),
      required: required.has(name),
      ...(typeof property['description'] === 'string' ? { description: property['description'] } : {}),
      ...(property['default'] !== undefined ? { default: property['default'] } : {}),
      ...(constraints ? { constraints } : {}),
    };
  });
}

/** Allowed values shown in full up to this many; beyond, the first few and the count. */
const ENUM_SHOWN = 6;

/** Range, length, pattern and allowed values of a field, in a few words. */
function constraintsOf(schema: JsonSchema): string | undefined {
  const parts: string[] = [];
  const bound = (key: string, word: string): void => {
    if (typeof schema[key] === 'number') parts.push(`${word} ${String(schema[key])}`);
  };
  bound('minimum', '>=');
  bound('maximum', '<=');
  bound('minLength', 'length >=');
  bound('maxLength', 'length <=');
  bound('minItems', 'items >=');
  bound('maxItems', 'items <=');
  if (typeof schema['pattern'] === 'string') parts.push(`matches ${schema['pattern']}`);
  if (Array.isArray(schema['enum']) && typeof schema['type'] === 'string') {
    const values = (schema['enum'] as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    parts.push(values.length <= ENUM_SHOWN ? `one of ${values.join(', ')}` : `one of ${values.slice(0, ENUM_SHOWN).join(', ')}, ... (${values.length} values)`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
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
  lines.push(`${agents.length} agent${agents.length === 1 ? '' : 's'}; \`ucop agents <name>\` says what each input and output of one means`);
  return `${lines.join('\n')}\n`;
}

/** One agent in full: each input and output on its own line, with type, default, limits and description. */
export function formatAgentDetail(agent: AgentSummary): string {
  const lines = [`${agent.name} (v${agent.version})`, `  ${agent.description}`, `  estimate: ${formatDuration(agent.estimateMs)} unless a step sets \`estimate:\``, ''];
  const section = (title: string, fields: readonly AgentField[], what: 'input' | 'output'): void => {
    lines.push(`${title}:`);
    if (fields.length === 0) lines.push(what === 'input' ? '  (none)' : '  (not described: any value)');
    const width = Math.max(0, ...fields.map((f) => f.name.length));
    for (const field of fields) {
      const facts = [field.type, what === 'input' ? (field.required ? 'required' : field.default !== undefined ? `default ${JSON.stringify(field.default)}` : 'optional') : undefined, field.constraints]
        .filter((x) => x !== undefined)
        .join('; ');
      lines.push(`  ${field.name.padEnd(width)}  ${facts}${field.description ? ` - ${field.description}` : ''}`);
    }
  };
  section('inputs (a step\'s `with:`)', agent.inputs, 'input');
  lines.push('');
  section('outputs (`steps.<id>.output`)', agent.outputs, 'output');
  return `${lines.join('\n')}\n`;
}

function formatFields(fields: readonly AgentField[]): string {
  if (fields.length === 0) return '(none)';
  return fields.map((f) => `${f.name}${f.required ? '' : '?'}: ${f.type}`).join(', ');
}
