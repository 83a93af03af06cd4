import type { AgentDefinition } from '@ucop/core';
import { readSources } from '../sources/read-sources.ts';
import { generateText } from './generate-text.ts';
import { isConclusionHeading } from './conclusion-heading.ts';
import { selectContext } from './select-context.ts';
import { WRITTEN_TEXT_SCHEMA, type WrittenText } from './written-text.ts';
import { SOURCES_KEY_PROPERTY, type WriterOptions } from './writer-options.ts';
import { SECTION_REFS_SCHEMA, sectionTitles, type SectionRef } from './section-titles.ts';

export type WriterConclusionInput = {
  /** The post's title. */
  title: string;
  /** Titles of the post's sections, to recap. @default [] */
  sections?: SectionRef[];
  /** @default [] */
  topics?: string[];
  /** @default 'Conclusion' */
  heading?: string;
  /** @default 250 */
  max_tokens?: number;
  /** @default 4 */
  max_sources?: number;
  /** @default 'sources' */
  sources_key?: string;
};

/**
 * `writer.conclusion`: writes the post's closing through the provider layer, from the article's own
 * closing section ("Summary", "Next steps", ...) when it has one, else from the sources closest to the
 * title, topics and sections. With no material but the article's lead, it writes nothing (empty text,
 * provider `none`) and the assembled post has no conclusion.
 */
export function createConclusionAgent(options: WriterOptions = {}): AgentDefinition<WriterConclusionInput, WrittenText> {
  return {
    name: 'writer.conclusion',
    version: '1',
    description: "Writes the post's conclusion from the article's closing section and the most relevant sources, via the provider layer.",
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['title'],
      properties: {
        title: { type: 'string', description: "the post's title" },
        sections: SECTION_REFS_SCHEMA,
        topics: { type: 'array', items: { type: 'string' }, default: [], description: 'topics the post covers (analyze.topics keywords); also used to pick the sources' },
        heading: { type: 'string', minLength: 1, default: 'Conclusion', description: 'heading the conclusion goes under' },
        max_tokens: { type: 'integer', minimum: 50, maximum: 8000, default: 250, description: 'most tokens the model may write for it' },
        max_sources: { type: 'integer', minimum: 1, maximum: 50, default: 4, description: "most source documents given to the model as context (the article's own closing section first)" },
        sources_key: SOURCES_KEY_PROPERTY,
      },
    },
    outputSchema: WRITTEN_TEXT_SCHEMA,
    estimateMs: 2500,
    async run(ctx, input) {
      const sources = readSources(ctx.state, input.sources_key);
      const topics = input.topics ?? [];
      const closing = sources.filter((s) => s.kind === 'article' && isConclusionHeading(s.title));
      const limit = input.max_sources ?? 4;
      // The article's own closing section is the conclusion's material; without one, the sources closest
      // to the whole post stand in, except the lead, which the introduction already tells. Earlier posts
      // are left out: assemble.post lists them as further reading.
      const context =
        closing.length > 0
          ? closing.slice(0, limit)
          : selectContext(
              sources.filter((s) => s.role !== 'lead'),
              [input.title, ...topics, ...sectionTitles(input.sections)].join('\n'),
              { limit, kinds: ['article', 'api'] },
            );
      const heading = input.heading ?? 'Conclusion';
      if (context.length === 0) {
        // Nothing but the introduction's material: no conclusion beats one that repeats the introduction.
        ctx.logger.info('no material for a conclusion beyond the introduction; leaving it out');
        return { heading, text: '', offline: false, provider: 'none', model: 'none', sources: [] };
      }
      return generateText(ctx, {
        template: 'conclusion',
        view: { title: input.title, topics: topics.join(', '), sections: sectionTitles(input.sections) },
        heading,
        context,
        maxTokens: input.max_tokens ?? 250,
        promptsDir: options.promptsDir,
      });
    },
  };
}
