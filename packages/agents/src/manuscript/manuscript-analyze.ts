import type { AgentDefinition } from '@ucop/core';
import { CHAPTER_SCHEMA, type Chapter } from './chapter.ts';
import { analyseChapter, CHAPTER_ANALYSIS_SCHEMA, type ChapterAnalysis } from './chapter-analysis.ts';

export type ManuscriptAnalyzeInput = {
  chapter: Chapter;
  /** Sentences with more words than this are listed as long. @default 40 */
  long_sentence_words?: number;
};

/** `manuscript.analyze`: names, dated and counted facts, doubled words, long sentences and readability of one chapter. */
export const manuscriptAnalyzeAgent: AgentDefinition<ManuscriptAnalyzeInput, ChapterAnalysis> = {
  name: 'manuscript.analyze',
  version: '1',
  description: 'Analyses one chapter offline: names and how often they occur, dates and counts stated about them, doubled words, long sentences, readability.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['chapter'],
    properties: {
      chapter: { ...CHAPTER_SCHEMA, description: 'the chapter to analyse: { index, title, text }' },
      long_sentence_words: { type: 'integer', minimum: 5, default: 40, description: 'sentences with more words than this are listed as long' },
    },
  },
  outputSchema: CHAPTER_ANALYSIS_SCHEMA,
  estimateMs: 10,
  async run(ctx, input) {
    ctx.signal.throwIfAborted();
    return analyseChapter(input.chapter, input.long_sentence_words ?? 40);
  },
};
