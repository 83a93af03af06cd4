import type { AgentDefinition } from '@ucop/core';

/**
 * Why a value is not an AgentDefinition, or undefined when it is one. Plugins are loaded at run time,
 * so their exports are checked field by field before the registry trusts them.
 */
export function agentShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return `expected an agent object, got ${value === null ? 'null' : typeof value}`;
  const v = value as Record<string, unknown>;
  if (typeof v.name !== 'string' || !/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/.test(v.name)) {
    return '`name` must be a dotted lower-case name such as "my.agent"';
  }
  if (typeof v.version !== 'string' || v.version === '') return `agent "${v.name}": \`version\` must be a non-empty string`;
  if (typeof v.description !== 'string') return `agent "${v.name}": \`description\` must be a string`;
  for (const key of ['inputSchema', 'outputSchema']) {
    const schema = v[key];
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return `agent "${v.name}": \`${key}\` must be a JSON Schema object`;
  }
  if (typeof v.estimateMs !== 'number' || !Number.isFinite(v.estimateMs) || v.estimateMs < 0) {
    return `agent "${v.name}": \`estimateMs\` must be a finite number >= 0`;
  }
  if (typeof v.run !== 'function') return `agent "${v.name}": \`run\` must be a function (ctx, input) => Promise<output>`;
  return undefined;
}

export function isAgentDefinition(value: unknown): value is AgentDefinition {
  return agentShapeProblem(value) === undefined;
}
