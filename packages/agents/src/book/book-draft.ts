import type { AgentDefinition } from '@ucop/core';
import { countWords } from '../text/plain-text.ts';
import { stripLeadingHeading } from '../writer/strip-heading.ts';
import { PLANNED_CHAPTER_SCHEMA, type PlannedChapter } from './chapter-plan.ts';
import { CONTINUITY_SCHEMA, continuityText, type Continuity } from './continuity.ts';

export type BookDraftInput = {
  chapter: PlannedChapter;
  continuity: Continuity;
  /** The book's title and premise, for the prompt. @default '' */
  title?: string;
  premise?: string;
  /** Length to aim at, in words. @default 800 */
  words?: number;
};

export type DraftedChapter = {
  index: number;
  title: string;
  text: string;
  words: number;
  /** True when the offline writer drafted it (from the outline and plan only). */
  offline: boolean;
  provider: string;
  model: string;
  continuity: 'plan' | 'written';
};

export const DRAFTED_CHAPTER_SCHEMA = {
  type: 'object',
  required: ['index', 'title', 'text', 'words', 'offline', 'provider', 'model', 'continuity'],
  properties: {
    index: { type: 'integer' }, title: { type: 'string' }, text: { type: 'string' }, words: { type: 'integer' },
    offline: { type: 'boolean' }, provider: { type: 'string' }, model: { type: 'string' }, continuity: { enum: ['plan', 'written'] },
  },
} as const;

const sentence = (s: string): string => (/[.!?]["'”’)]?$/.test(s) ? s : `${s}.`);

/** The offline draft: the chapter's summary and all its beats, as two paragraphs, nothing invented. */
function offlineDraft(c: PlannedChapter): string {
  return [sentence(c.summary), c.beats.map(sentence).join(' ')].filter((p) => p !== '' && p !== '.').join('\n\n');
}

function prompt(input: BookDraftInput, context: string): string {
  const c = input.chapter;
  return [
    `Write chapter ${c.index} of the novel "${input.title ?? ''}", titled "${c.title}", about ${input.words ?? 800} words of prose.`,
    input.premise ? `Premise: ${input.premise}` : '',
    `What happens: ${c.summary}`,
    `It must establish:\n${c.beats.map((b) => `- ${b}`).join('\n')}`,
    context ? `Continuity (keep to it; do not contradict it):\n${context}` : '',
    'Return only the chapter prose, without its heading.',
  ].filter((s) => s !== '').join('\n\n');
}

/**
 * `book.draft`: drafts one chapter from its plan and its continuity context through the provider layer.
 * Offline the draft is the chapter's plan written out (summary, then every beat; nothing invented), and
 * the chapter is marked offline.
 */
export const bookDraftAgent: AgentDefinition<BookDraftInput, DraftedChapter> = {
  name: 'book.draft',
  version: '1',
  description: 'Drafts one chapter from its plan (summary, beats) and continuity context via the provider layer; offline, the extractive writer drafts it from the outline, marked offline.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['chapter', 'continuity'],
    properties: {
      chapter: { ...PLANNED_CHAPTER_SCHEMA, description: 'the chapter of the plan: title, summary, beats, names' },
      continuity: { ...CONTINUITY_SCHEMA, description: "the chapter's continuity context (book.continuity)" },
      title: { type: 'string', default: '', description: "the book's title, for the prompt" },
      premise: { type: 'string', default: '', description: "the book's premise, for the prompt" },
      words: { type: 'integer', minimum: 50, maximum: 20000, default: 800, description: 'length to aim at, in words' },
    },
  },
  outputSchema: DRAFTED_CHAPTER_SCHEMA,
  estimateMs: 5000,
  async run(ctx, input) {
    const c = input.chapter;
    const context = continuityText(input.continuity);
    const response = await ctx.llm.generate(
      {
        system: 'You are a novelist drafting one chapter of a book from its outline. Keep names, dates and facts exactly as established.',
        prompt: prompt(input, context),
        purpose: c.title,
        maxTokens: Math.ceil((input.words ?? 800) * 1.5),
        context: [
          { id: `chapter-${c.index}`, title: c.title, text: [c.summary, ...c.beats].map(sentence).join(' ') },
          ...(context ? [{ id: `continuity-${c.index}`, title: 'Continuity', text: context }] : []),
        ],
      },
      ctx.signal,
    );
    ctx.span.setAttributes({ 'llm.provider': response.provider, 'llm.offline': response.offline });
    // Offline, the chapter is its plan written out in order (summary, then every beat): the extractive
    // writer ranks and drops sentences, and a draft must not lose what the outline says happens.
    const text = response.offline ? offlineDraft(c) : stripLeadingHeading(response.text).trim();
    return { index: c.index, title: c.title, text, words: countWords(text), offline: response.offline, provider: response.provider, model: response.model, continuity: input.continuity.mode };
  },
};
