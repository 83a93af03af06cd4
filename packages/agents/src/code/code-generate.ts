import type { AgentDefinition } from '@ucop/core';
import { API_REFERENCE_SCHEMA, type ApiReference } from '../ingest/api-reference.ts';
import { CODE_BLOCK_SCHEMA, type CodeBlock } from '../ingest/markdown-document.ts';
import { canonicalLang } from './code-lang.ts';
import { CODE_EXAMPLE_SCHEMA, type CodeExample } from './code-example.ts';
import { optionsExample } from './options-example.ts';

export type CodeGenerateInput = {
  /** The article's code blocks (ingest.markdown's `code_blocks`). @default [] */
  blocks?: CodeBlock[];
  /** The article's path, recorded on its examples. @default '' */
  path?: string;
  /** API references (ingest.api_reference's `references`). @default [] */
  references?: ApiReference[];
  /** Most examples kept. @default 12 */
  max_blocks?: number;
};

export type CodeGenerateOutput = { blocks: CodeExample[] };

type Draft = Omit<CodeExample, 'index'>;

const normaliseCode = (code: string): string => code.replace(/\s+/g, ' ').trim();

/**
 * `code.generate`: gathers the post's code examples: the article's own blocks first (each kept under its
 * section), then the examples of the API reference files, then, for references that document options
 * with defaults, a generated TypeScript example. Identical code is kept once; the order is stable.
 */
export const codeGenerateAgent: AgentDefinition<CodeGenerateInput, CodeGenerateOutput> = {
  name: 'code.generate',
  version: '1',
  description: "Collects the post's code examples from the article's blocks and the API references, and generates option examples from reference defaults.",
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      blocks: { type: 'array', items: CODE_BLOCK_SCHEMA, default: [], description: "the article's code blocks (ingest.markdown's code_blocks), kept first under their sections" },
      path: { type: 'string', default: '', description: "the article's path, recorded on its examples" },
      references: { type: 'array', items: API_REFERENCE_SCHEMA, default: [], description: "API references (ingest.api_reference's references): their examples, and an options example from their defaults" },
      max_blocks: { type: 'integer', minimum: 0, maximum: 200, default: 12, description: 'most examples kept (identical code counts once)' },
    },
  },
  outputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['blocks'],
    properties: { blocks: { type: 'array', items: CODE_EXAMPLE_SCHEMA } },
  },
  estimateMs: 20,
  async run(ctx, input) {
    ctx.signal.throwIfAborted();
    const drafts: Draft[] = [];
    for (const block of input.blocks ?? []) {
      if (block.code.trim() === '') continue;
      drafts.push({ lang: canonicalLang(block.lang), code: block.code, title: block.section ?? 'Example', section: block.section, origin: 'article', file: input.path ?? '', line: block.line });
    }
    for (const ref of input.references ?? []) {
      for (const example of ref.examples) {
        const draft: Draft = { lang: canonicalLang(example.lang), code: example.code, title: example.title, section: null, origin: 'api', file: ref.path };
        if (example.line !== undefined) draft.line = example.line;
        drafts.push(draft);
      }
      const generated = optionsExample(ref);
      if (generated) drafts.push({ lang: 'ts', code: generated, title: `${ref.title} options`, section: null, origin: 'generated', file: ref.path });
    }
    const seen = new Set<string>();
    const blocks: CodeExample[] = [];
    for (const draft of drafts) {
      const key = normaliseCode(draft.code);
      if (seen.has(key) || blocks.length >= (input.max_blocks ?? 12)) continue;
      seen.add(key);
      blocks.push({ index: blocks.length, ...draft });
    }
    return { blocks };
  },
};
