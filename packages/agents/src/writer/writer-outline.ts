import type { AgentDefinition } from '@ucop/core';
import { readSources } from '../sources/read-sources.ts';
import { toContextDocument, type Source } from '../sources/source.ts';
import { renderPrompt } from '../prompts/template.ts';
import { sectionHeadings } from '../ingest/section-layout.ts';
import { splitSentences } from '../text/sentences.ts';
import { isConclusionHeading } from './conclusion-heading.ts';
import { parseOutline } from './parse-outline.ts';
import { OUTLINE_SECTION_SCHEMA, type OutlineSection } from './outline.ts';
import { SOURCES_KEY_PROPERTY, type WriterOptions } from './writer-options.ts';

export type WriterOutlineInput = {
  /** The article's title. */
  title: string;
  /** The article's headings (depth and text), as ingest.markdown outputs them. */
  headings?: { depth: number; text: string }[];
  /** Topics or keywords to cover. @default [] */
  topics?: string[];
  /** Most sections in the outline. @default 8 */
  max_sections?: number;
  /** State key that receives the post title ('' writes none). @default '' */
  title_key?: string;
  /** @default 'sources' */
  sources_key?: string;
};

export type WriterOutlineOutput = {
  title: string;
  sections: OutlineSection[];
  /** `llm` when the model's answer was used, `headings` when the outline fell back to the article's headings. */
  origin: 'llm' | 'headings';
  offline: boolean;
  provider: string;
  model: string;
};

const norm = (s: string): string => s.trim().toLowerCase();

/** The outline the article's own headings give; summaries are each section's first sentence. */
function headingsOutline(headings: readonly { depth: number; text: string }[], sources: readonly Source[]): OutlineSection[] {
  return sectionHeadings(headings)
    .filter((h) => !isConclusionHeading(h.text))
    .map((h) => {
      const source = sources.find((s) => norm(s.title) === norm(h.text));
      return { title: h.text, summary: splitSentences(source?.text ?? '')[0] ?? '', key_points: [] };
    });
}

/**
 * `writer.outline`: plans the post's sections from the article's headings and topics, through the
 * provider layer (purpose `outline`). The answer is parsed robustly (JSON or markdown); when it gives
 * no usable section the outline falls back to the article's headings. Closing sections ("Conclusion",
 * "Next steps") are left to writer.conclusion.
 */
export function createOutlineAgent(options: WriterOptions = {}): AgentDefinition<WriterOutlineInput, WriterOutlineOutput> {
  return {
    name: 'writer.outline',
    version: '1',
    description: 'Plans the post: title and sections (title, summary, key points) from the article headings and topics, via the provider layer.',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['title'],
      properties: {
        title: { type: 'string', description: "the article's title" },
        headings: {
          type: 'array',
          description: "the article's headings (ingest.markdown output)",
          items: { type: 'object', required: ['depth', 'text'], properties: { depth: { type: 'integer', minimum: 1, maximum: 6 }, text: { type: 'string' } } },
        },
        topics: { type: 'array', items: { type: 'string' }, default: [], description: 'topics the post should cover (analyze.topics keywords), named in the prompt' },
        max_sections: { type: 'integer', minimum: 1, maximum: 50, default: 8, description: 'most sections the outline may have' },
        title_key: { type: 'string', pattern: '^([a-z][a-z0-9_]*)?$', default: '', description: "state key that receives the post title; '' writes none" },
        sources_key: SOURCES_KEY_PROPERTY,
      },
    },
    outputSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['title', 'sections', 'origin', 'offline', 'provider', 'model'],
      properties: {
        title: { type: 'string' },
        sections: { type: 'array', items: OUTLINE_SECTION_SCHEMA },
        origin: { enum: ['llm', 'headings'] },
        offline: { type: 'boolean' },
        provider: { type: 'string' },
        model: { type: 'string' },
      },
    },
    estimateMs: 2000,
    async run(ctx, input) {
      const sources = readSources(ctx.state, input.sources_key);
      const headings = input.headings ?? [];
      const maxSections = input.max_sections ?? 8;
      const sectionSources = sources.filter((s) => s.kind === 'article' && s.role !== 'lead' && !isConclusionHeading(s.title));
      const prompt = await renderPrompt(
        'outline',
        {
          title: input.title,
          headings: sectionHeadings(headings).map((h) => h.text),
          topics: (input.topics ?? []).join(', '),
          max_sections: maxSections,
        },
        { dir: options.promptsDir, signal: ctx.signal },
      );
      const response = await ctx.llm.generate({ prompt, purpose: 'outline', maxTokens: 800, context: sectionSources.map(toContextDocument) }, ctx.signal);
      const parsed = parseOutline(response.text);
      let sections = parsed.sections.filter((s) => !isConclusionHeading(s.title));
      let origin: WriterOutlineOutput['origin'] = 'llm';
      if (sections.length === 0) {
        ctx.logger.warn('the outline answer had no usable section; using the article headings', { provider: response.provider });
        sections = headingsOutline(headings, sources);
        origin = 'headings';
      }
      const articleTitle = input.title.trim() !== '' ? input.title.trim() : 'Untitled';
      const title = origin === 'llm' && parsed.title ? parsed.title : articleTitle;
      if (input.title_key) ctx.state.write(input.title_key, title);
      return { title, sections: sections.slice(0, maxSections), origin, offline: response.offline, provider: response.provider, model: response.model };
    },
  };
}
