import type { AgentDefinition } from '@ucop/core';
import { applyFixes, FIX_OUTCOME_SCHEMA, type FactPolicy, type FixOutcome } from './apply-fixes.ts';
import { CHAPTER_SCHEMA, type Chapter } from './chapter.ts';
import { FLAG_SCHEMA, type Flag } from './flag.ts';

export type ManuscriptFixInput = {
  chapter: Chapter;
  /** The flags raised against this chapter (others are ignored). */
  flags: Flag[];
  /** Contradicting dates and counts: `earliest` sets them to the earlier chapter's value, `report` leaves them. @default earliest */
  facts?: FactPolicy;
};

export type ManuscriptFixOutput = Chapter & { fixes: FixOutcome[]; applied: number; left: number };

/** `manuscript.fix`: one fix task: applies the flags of one chapter where it can, and says what it could not fix. */
export const manuscriptFixAgent: AgentDefinition<ManuscriptFixInput, ManuscriptFixOutput> = {
  name: 'manuscript.fix',
  version: '1',
  description: 'Applies the flags of one chapter deterministically (name variants to the established spelling; dates and counts to the earlier value where unambiguous) and lists what it left.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['chapter', 'flags'],
    properties: {
      chapter: { ...CHAPTER_SCHEMA, description: 'the chapter to fix: { index, title, text }' },
      flags: { type: 'array', items: FLAG_SCHEMA, description: 'the flags raised against this chapter (others are ignored)' },
      facts: { enum: ['earliest', 'report'], default: 'earliest', description: 'contradicting dates and counts: set to the earlier chapter\'s value, or only report them' },
    },
  },
  outputSchema: {
    type: 'object',
    required: ['index', 'title', 'text', 'fixes', 'applied', 'left'],
    properties: {
      index: { type: 'integer' }, title: { type: 'string' }, text: { type: 'string' },
      fixes: { type: 'array', items: FIX_OUTCOME_SCHEMA }, applied: { type: 'integer' }, left: { type: 'integer' },
    },
  },
  estimateMs: 10,
  async run(ctx, input) {
    ctx.signal.throwIfAborted();
    const mine = input.flags.filter((f) => f.chapter === input.chapter.index);
    const { text, outcomes } = applyFixes(input.chapter.text, mine, input.facts ?? 'earliest');
    const applied = outcomes.filter((o) => o.applied).length;
    return { index: input.chapter.index, title: input.chapter.title, text, fixes: outcomes, applied, left: outcomes.length - applied };
  },
};
