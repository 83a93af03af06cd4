import type { AgentDefinition } from '@ucop/core';
import { extractTopics, type Topic } from './extract-topics.ts';
import { readSources } from '../sources/read-sources.ts';
import { uniqueKeywords } from '../text/keyword-key.ts';

export type AnalyzeTopicsInput = {
  /** Keywords the user asked for; they come first in the output, in this order. @default [] */
  keywords?: string[];
  /** Most topics extracted. @default 12 */
  max_topics?: number;
  /** Most keywords returned (the user's included). @default 10 */
  max_keywords?: number;
  /** State key holding the sources. @default 'sources' */
  sources_key?: string;
};

export type AnalyzeTopicsOutput = { keywords: string[]; topics: Topic[] };

/** The user's keywords, trimmed and de-duplicated by stem (see keywordKey), then extracted terms not already there. */
function mergeKeywords(user: readonly string[], topics: readonly Topic[], max: number): string[] {
  const written = [...user, ...topics.map((t) => t.term)].map((k) => k.trim()).filter((k) => k !== '');
  return uniqueKeywords(written, max);
}

/** `analyze.topics`: TF-IDF topic and keyword extraction over the ingested sources; deterministic. */
export const analyzeTopicsAgent: AgentDefinition<AnalyzeTopicsInput, AnalyzeTopicsOutput> = {
  name: 'analyze.topics',
  version: '1',
  description: 'Extracts topics and keywords from the sources in state (TF-IDF over sentences, stop words removed); user keywords come first.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      keywords: { type: 'array', items: { type: 'string' }, default: [], description: 'keywords the user asked for, kept first' },
      max_topics: { type: 'integer', minimum: 1, maximum: 100, default: 12, description: 'most topics (ranked terms) to extract from the sources' },
      max_keywords: { type: 'integer', minimum: 1, maximum: 100, default: 10, description: 'most keywords to return: the ones asked for first, then the top topics' },
      sources_key: { type: 'string', minLength: 1, default: 'sources', description: 'state key holding the sources' },
    },
  },
  outputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['keywords', 'topics'],
    properties: {
      keywords: { type: 'array', items: { type: 'string' } },
      topics: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['term', 'score', 'count'],
          properties: { term: { type: 'string' }, score: { type: 'number' }, count: { type: 'integer', minimum: 0 } },
        },
      },
    },
  },
  estimateMs: 30,
  async run(ctx, input) {
    ctx.signal.throwIfAborted();
    const sources = readSources(ctx.state, input.sources_key);
    const topics = extractTopics(sources, { maxTopics: input.max_topics ?? 12 });
    const keywords = mergeKeywords(input.keywords ?? [], topics, input.max_keywords ?? 10);
    ctx.logger.debug('topics extracted', { sources: sources.length, topics: topics.length });
    return { keywords, topics };
  },
};
