import type { AgentDefinition } from '@ucop/core';
import { readSources } from '../sources/read-sources.ts';
import { generateText } from './generate-text.ts';
import { selectContext } from './select-context.ts';
import { WRITTEN_TEXT_SCHEMA, type WrittenText } from './written-text.ts';
import { SOURCES_KEY_PROPERTY, type WriterOptions } from './writer-options.ts';
import { SECTION_REFS_SCHEMA, sectionTitles, type SectionRef } from './section-titles.ts';

export type WriterIntroductionInput = {
  /** The post's title. */
  title: string;
  /** Topics or keywords the post covers. @default [] */
  topics?: string[];
  /** Titles of the post's sections, so the introduction can announce them. @default [] */
  sections?: SectionRef[];
  /** The heading the text is written under. @default 'Introduction' */
  heading?: string;
  /** @default 300 */
  max_tokens?: number;
  /** @default 4 */
  max_sources?: number;
  /** @default 'sources' */
  sources_key?: string;
};

/**
 * `writer.introduction`: writes the post's opening through the provider layer; the article's lead (its
 * prose before the first section) comes first in the context, then the sources closest to the title and topics.
 */
export function createIntroductionAgent(options: WriterOptions = {}): AgentDefinition<WriterIntroductionInput, WrittenText> {
  return {
    name: 'writer.introduction',
    version: '1',
    description: "Writes the post's introduction from the article's lead and the sources closest to the title and topics, via the provider layer.",
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['title'],
      properties: {
        title: { type: 'string', description: "the post's title, which the introduction opens" },
        topics: { type: 'array', items: { type: 'string' }, default: [], description: 'topics the post covers (analyze.topics keywords); also used to pick the sources' },
        sections: SECTION_REFS_SCHEMA,
        heading: { type: 'string', minLength: 1, default: 'Introduction', description: 'heading the introduction goes under' },
        max_tokens: { type: 'integer', minimum: 50, maximum: 8000, default: 300, description: 'most tokens the model may write for it' },
        max_sources: { type: 'integer', minimum: 1, maximum: 50, default: 4, description: 'most source documents given to the model as context (the lead first)' },
        sources_key: SOURCES_KEY_PROPERTY,
      },
    },
    outputSchema: WRITTEN_TEXT_SCHEMA,
    estimateMs: 2500,
    async run(ctx, input) {
      const sources = readSources(ctx.state, input.sources_key).filter((s) => s.kind !== 'archive');
      const topics = input.topics ?? [];
      const lead = sources.filter((s) => s.role === 'lead');
      const context = selectContext(sources, [input.title, ...topics].join('\n'), { limit: input.max_sources ?? 4, first: lead });
      return generateText(ctx, {
        template: 'introduction',
        view: { title: input.title, topics: topics.join(', '), sections: sectionTitles(input.sections) },
        heading: input.heading ?? 'Introduction',
        context,
        maxTokens: input.max_tokens ?? 300,
        promptsDir: options.promptsDir,
      });
    },
  };
}
