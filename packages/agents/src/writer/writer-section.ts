import type { AgentDefinition } from '@ucop/core';
import { readSources } from '../sources/read-sources.ts';
import { generateText } from './generate-text.ts';
import { selectContext } from './select-context.ts';
import { WRITTEN_TEXT_SCHEMA, type WrittenText } from './written-text.ts';
import { SOURCES_KEY_PROPERTY, type WriterOptions } from './writer-options.ts';

export type WriterSectionInput = {
  /** The section's heading (an outline entry's title). */
  heading: string;
  summary?: string;
  key_points?: string[];
  /** The post's title, for the prompt. @default '' */
  title?: string;
  /** @default 500 */
  max_tokens?: number;
  /** Most sources handed to the model. @default 5 */
  max_sources?: number;
  /** @default 'sources' */
  sources_key?: string;
};

/**
 * `writer.section`: writes one section of the post (one per outline entry, fanned out with for_each)
 * through the provider layer, with the sources most relevant to the heading, summary and key points as
 * context; the article section of the same name comes first.
 */
export function createSectionAgent(options: WriterOptions = {}): AgentDefinition<WriterSectionInput, WrittenText> {
  return {
    name: 'writer.section',
    version: '1',
    description: 'Writes one section of the post (heading, summary, key points) from the most relevant sources, via the provider layer.',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['heading'],
      properties: {
        heading: { type: 'string', minLength: 1, description: "the section's heading (an outline section's title)" },
        summary: { type: 'string', default: '', description: 'what the section says, from the outline' },
        key_points: { type: 'array', items: { type: 'string' }, default: [], description: 'points the section must make, from the outline' },
        title: { type: 'string', default: '', description: "the post's title, for context in the prompt" },
        max_tokens: { type: 'integer', minimum: 50, maximum: 8000, default: 500, description: 'most tokens the model may write for it' },
        max_sources: { type: 'integer', minimum: 1, maximum: 50, default: 5, description: 'most source documents given to the model as context (the article section of the same heading first)' },
        sources_key: SOURCES_KEY_PROPERTY,
      },
    },
    outputSchema: WRITTEN_TEXT_SCHEMA,
    estimateMs: 3000,
    async run(ctx, input) {
      const sources = readSources(ctx.state, input.sources_key).filter((s) => s.kind !== 'archive');
      const keyPoints = input.key_points ?? [];
      const heading = input.heading.trim();
      const named = sources.filter((s) => s.kind === 'article' && s.title.trim().toLowerCase() === heading.toLowerCase());
      const context = selectContext(sources, [heading, input.summary ?? '', ...keyPoints].join('\n'), { limit: input.max_sources ?? 5, first: named });
      return generateText(ctx, {
        template: 'section',
        view: { title: input.title ?? '', heading, summary: input.summary ?? '', key_points: keyPoints },
        heading,
        context,
        maxTokens: input.max_tokens ?? 500,
        promptsDir: options.promptsDir,
      });
    },
  };
}
