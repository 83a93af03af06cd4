import type { AgentDefinition } from '@ucop/core';
import { countWords } from '../text/plain-text.ts';
import { CHAPTER_SCHEMA, type Chapter } from './chapter.ts';

export type ManuscriptExpandInput = {
  chapter: Chapter;
  /** Chapters shorter than this (in words) are expanded to about this length. @default 0 (none) */
  min_words?: number;
  /** Most tokens the model may write. @default 2000 */
  max_tokens?: number;
};

export type ManuscriptExpandOutput = Chapter & { expanded: boolean; offline: boolean; provider: string; note: string };

/**
 * `manuscript.expand`: lengthens a chapter that is shorter than `min_words` with the configured model. It
 * never invents prose offline: with the offline provider the chapter is kept as it is and the note says so.
 */
export const manuscriptExpandAgent: AgentDefinition<ManuscriptExpandInput, ManuscriptExpandOutput> = {
  name: 'manuscript.expand',
  version: '1',
  description: 'Expands a chapter shorter than min_words with the configured model; offline it keeps the chapter unchanged and says so.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['chapter'],
    properties: {
      chapter: { ...CHAPTER_SCHEMA, description: 'the chapter to expand: { index, title, text }' },
      min_words: { type: 'integer', minimum: 0, default: 0, description: 'chapters shorter than this (in words) are expanded; 0: none' },
      max_tokens: { type: 'integer', minimum: 50, maximum: 16000, default: 2000, description: 'most tokens the model may write' },
    },
  },
  outputSchema: {
    type: 'object',
    required: ['index', 'title', 'text', 'expanded', 'offline', 'provider', 'note'],
    properties: {
      index: { type: 'integer' }, title: { type: 'string' }, text: { type: 'string' },
      expanded: { type: 'boolean' }, offline: { type: 'boolean' }, provider: { type: 'string' }, note: { type: 'string' },
    },
  },
  estimateMs: 3000,
  async run(ctx, input) {
    const { chapter } = input;
    const words = countWords(chapter.text);
    const min = input.min_words ?? 0;
    const keep = (note: string, offline: boolean, provider: string): ManuscriptExpandOutput => ({ ...chapter, expanded: false, offline, provider, note });
    if (words >= min) return keep(`${words} words, not under min_words ${min}: nothing to expand`, false, 'none');
    const response = await ctx.llm.generate(
      {
        system: 'You are a careful fiction editor. Keep the author\'s voice, names, dates and facts; add no new characters.',
        prompt: `Expand this chapter, "${chapter.title}", from ${words} to about ${min} words. Return only the chapter's prose.\n\n${chapter.text}`,
        purpose: chapter.title,
        maxTokens: input.max_tokens ?? 2000,
      },
      ctx.signal,
    );
    if (response.offline) {
      return keep(`not expanded: expansion needs a model, and the offline provider does not invent prose (${words} words, min_words ${min})`, true, response.provider);
    }
    return { ...chapter, text: response.text.trim(), expanded: true, offline: false, provider: response.provider, note: `expanded from ${words} to ${countWords(response.text)} words by ${response.provider}/${response.model}` };
  },
};
