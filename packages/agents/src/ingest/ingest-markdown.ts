import { resolve } from 'node:path';
import type { AgentDefinition } from '@ucop/core';
import { parseMarkdown } from './parse-markdown.ts';
import { documentSources } from './article-sources.ts';
import { readTextFile } from './read-text-file.ts';
import { MARKDOWN_DOCUMENT_SCHEMA, type MarkdownDocument } from './markdown-document.ts';
import { STATE_KEY_PROPERTY, writeSources } from './write-sources.ts';

export type IngestMarkdownInput = {
  /** The article, relative to the working directory or absolute. */
  path: string;
  /** State key that receives the sources; '' writes none. @default 'sources' */
  state_key?: string;
};

/**
 * `ingest.markdown`: reads a markdown article (front matter, title, heading hierarchy, paragraphs, code
 * blocks, links) and writes one source per section to the shared state.
 */
export const ingestMarkdownAgent: AgentDefinition<IngestMarkdownInput, MarkdownDocument> = {
  name: 'ingest.markdown',
  version: '1',
  description: 'Reads a markdown article: front matter, title, headings, paragraphs, code blocks and links; writes its sections as sources.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'the markdown article to read' },
      state_key: STATE_KEY_PROPERTY,
    },
  },
  outputSchema: MARKDOWN_DOCUMENT_SCHEMA,
  estimateMs: 50,
  async run(ctx, input) {
    const text = await readTextFile(resolve(input.path), ctx.signal, 'the article');
    const doc = parseMarkdown(text, input.path);
    const sources = documentSources(doc, 'article');
    writeSources(ctx, input.state_key, sources);
    ctx.logger.info('article ingested', { path: input.path, sections: doc.sections.length, codeBlocks: doc.code_blocks.length });
    return doc;
  },
};
