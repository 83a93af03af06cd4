import type { AgentDefinition } from '@ucop/core';
import { PLANNED_CHAPTER_SCHEMA, type PlannedChapter } from './chapter-plan.ts';
import { CONTINUITY_SCHEMA, continuityFor, type Continuity, type WrittenChapter } from './continuity.ts';

export type BookContinuityInput = {
  plan: PlannedChapter[];
  /** The chapter the context is for. */
  index: number;
  /** How many earlier chapters to include (0: all). @default 0 */
  window?: number;
  /** Drafts of chapters already written: their names and last lines join the plan's facts. @default [] */
  written?: WrittenChapter[];
};

/** `book.continuity`: what earlier chapters established, for one chapter, from the plan and the chapters already written. */
export const bookContinuityAgent: AgentDefinition<BookContinuityInput, Continuity> = {
  name: 'book.continuity',
  version: '1',
  description: 'Builds one chapter\'s continuity context: what earlier chapters established (plan and, when given, their drafts), names already introduced, how the previous chapter ended.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['plan', 'index'],
    properties: {
      plan: { type: 'array', items: PLANNED_CHAPTER_SCHEMA, description: "the plan's chapters (book.plan's chapters)" },
      index: { type: 'integer', minimum: 1, description: 'the chapter the context is for' },
      window: { type: 'integer', minimum: 0, default: 0, description: 'how many earlier chapters to include; 0 includes all' },
      written: { type: 'array', items: { type: 'object', required: ['index', 'title', 'text'], properties: { index: { type: 'integer' }, title: { type: 'string' }, text: { type: 'string' } } }, default: [], description: 'drafts of chapters already written: their names and last lines join the plan' },
    },
  },
  outputSchema: CONTINUITY_SCHEMA,
  estimateMs: 5,
  async run(ctx, input) {
    ctx.signal.throwIfAborted();
    return continuityFor(input.plan, input.index, input.window ?? 0, input.written ?? []);
  },
};
