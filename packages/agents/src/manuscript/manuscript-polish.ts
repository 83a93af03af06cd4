import type { AgentDefinition } from '@ucop/core';
import { CHAPTER_SCHEMA, type Chapter } from './chapter.ts';
import { POLISH_CHANGES_SCHEMA, polishText, type PolishChanges } from './polish-text.ts';

export type ManuscriptPolishOutput = Chapter & { changes: PolishChanges };

/** `manuscript.polish`: typography, spacing and doubled words of one chapter; the words themselves are kept. */
export const manuscriptPolishAgent: AgentDefinition<{ chapter: Chapter }, ManuscriptPolishOutput> = {
  name: 'manuscript.polish',
  version: '1',
  description: 'Polishes one chapter offline: curly quotes, em dashes, ellipses, spacing, doubled words; counts each change.',
  inputSchema: { type: 'object', additionalProperties: false, required: ['chapter'], properties: { chapter: { ...CHAPTER_SCHEMA, description: 'the chapter to polish: { index, title, text }' } } },
  outputSchema: {
    type: 'object',
    required: ['index', 'title', 'text', 'changes'],
    properties: { index: { type: 'integer' }, title: { type: 'string' }, text: { type: 'string' }, changes: POLISH_CHANGES_SCHEMA },
  },
  estimateMs: 10,
  async run(ctx, input) {
    ctx.signal.throwIfAborted();
    const { text, changes } = polishText(input.chapter.text);
    return { index: input.chapter.index, title: input.chapter.title, text, changes };
  },
};
