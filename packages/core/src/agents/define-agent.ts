import type { AgentDefinition } from './agent-definition.ts';

/**
 * Declares an agent: returns the definition unchanged, typed, so that an editor checks a plugin against the
 * agent contract (in JavaScript too, through the inferred types) and infers `input` in `run` from `I`.
 *
 * @example
 * ```ts
 * import { defineAgent } from '@ucop/core';
 * export default defineAgent<{ text: string }, { words: number }>({
 *   name: 'local.word_count', version: '1', description: 'Counts the words of a text.',
 *   inputSchema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
 *   outputSchema: { type: 'object', properties: { words: { type: 'integer' } } },
 *   estimateMs: 1,
 *   async run(_ctx, input) { return { words: input.text.split(/\s+/).filter(Boolean).length }; },
 * });
 * ```
 */
export function defineAgent<I = Record<string, unknown>, O = unknown>(definition: AgentDefinition<I, O>): AgentDefinition<I, O> {
  return definition;
}
