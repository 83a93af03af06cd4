import type { ContextDocument } from '@ucop/core';

/** Where a source came from. */
export type SourceKind = 'article' | 'api' | 'archive';

/**
 * One piece of knowledge written to the shared state key `sources` by the ingestion agents and read by the
 * topic analysis and the writers. Article sources are one per section of the article.
 */
export type Source = {
  /** Stable and unique within a run, e.g. `article:kb-article.md#retries`. */
  id: string;
  title: string;
  /** Markdown prose (no code blocks): what writers may draw sentences from. */
  text: string;
  /** The file (and anchor) it was read from. */
  source: string;
  kind: SourceKind;
  /** `lead` marks the text before the article's first section: the natural material for an introduction. */
  role?: 'lead' | 'section' | 'reference' | 'post';
};

/** JSON Schema of one source (draft 2020-12). */
export const SOURCE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'text', 'source', 'kind'],
  properties: {
    id: { type: 'string', minLength: 1 },
    title: { type: 'string' },
    text: { type: 'string' },
    source: { type: 'string' },
    kind: { enum: ['article', 'api', 'archive'] },
    role: { enum: ['lead', 'section', 'reference', 'post'] },
  },
} as const;

/** A source as the LLM layer takes it (`LlmRequest.context`). */
export function toContextDocument(source: Source): ContextDocument {
  return { id: source.id, title: source.title, text: source.text, source: source.source };
}
