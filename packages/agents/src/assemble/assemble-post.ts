import { dirname, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import type { AgentDefinition } from '@ucop/core';
import { CODE_EXAMPLE_SCHEMA, type CodeExample } from '../code/code-example.ts';
import { ARCHIVED_POST_SCHEMA, type ArchivedPost } from '../ingest/ingest-blog-archive.ts';
import { countWords } from '../text/plain-text.ts';
import { codeFence } from './code-fence.ts';
import { relatedPosts } from './related-posts.ts';
import { rebaseLinks } from './rewrite-links.ts';

/** A piece of written text as the writers return it (extra fields are ignored). */
export type TextPart = { heading?: string; text: string; offline?: boolean; provider?: string; model?: string };

export type AssemblePostInput = {
  title: string;
  /** The post's front matter (seo.metadata's `front_matter`). @default {} */
  front_matter?: Record<string, unknown>;
  introduction?: TextPart;
  /** The sections in order (the for_each outputs of writer.section; null for an item that failed). @default [] */
  sections?: (TextPart | null)[];
  conclusion?: TextPart;
  /** Code examples (code.generate's `blocks`). @default [] */
  code?: CodeExample[];
  /** Earlier posts (ingest.blog_archive's `posts`); the most related get a "Further reading" list. @default [] */
  related?: ArchivedPost[];
  /** Keywords that decide which earlier posts are related. @default [] */
  keywords?: string[];
  /** @default 3 */
  max_related?: number;
  /** The article's path: its relative links are re-based onto the post's directory. @default '' */
  source?: string;
  /** The file written, relative to the output directory. @default 'post.md' */
  file?: string;
};

export type AssemblePostOutput = { path: string; words: number; offline: boolean };

/** Said at the top of a post any part of which the offline writer wrote. */
export const OFFLINE_NOTE =
  "> **Note:** this draft was written offline. ucop's extractive writer assembled it from sentences of the source article and its references, without a language model; review and edit it before publishing.";

const TEXT_PART_SCHEMA = {
  type: 'object',
  required: ['text'],
  properties: { heading: { type: 'string' }, text: { type: 'string' }, offline: { type: 'boolean' }, provider: { type: 'string' }, model: { type: 'string' } },
} as const;

const norm = (s: string): string => s.trim().toLowerCase();
const posix = (p: string): string => p.split(sep).join('/');

function frontMatter(data: Record<string, unknown>, parts: readonly TextPart[]): Record<string, unknown> {
  const offline = parts.some((p) => p.offline === true);
  const models = [...new Set(parts.filter((p) => p.offline !== true && p.provider).map((p) => `${p.provider}/${p.model ?? ''}`))].sort();
  const out: Record<string, unknown> = { ...data, generator: offline ? 'offline' : 'llm' };
  if (models.length > 0) out.models = models;
  return out;
}

function codeBlock(example: CodeExample, withTitle: boolean): string {
  const fence = codeFence(example.code, example.lang);
  return withTitle ? `### ${example.title}\n\n${fence}` : fence;
}

/**
 * `assemble.post`: puts the post together (front matter, title, introduction, sections with their code,
 * remaining code examples, conclusion, further reading) and writes it through the artifact writer, so it
 * can only land inside the output directory. Relative links are re-based from the article's directory to
 * the post's. If the offline writer wrote any part, the front matter says `generator: offline` and the
 * post opens with a note saying so.
 */
export const assemblePostAgent: AgentDefinition<AssemblePostInput, AssemblePostOutput> = {
  name: 'assemble.post',
  version: '1',
  description: 'Assembles front matter, introduction, sections, code and conclusion into one markdown file in the output directory.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['title'],
    properties: {
      title: { type: 'string', minLength: 1, description: "the post's title, its top heading" },
      front_matter: { type: 'object', default: {}, description: "the post's front matter (seo.metadata's front_matter)" },
      introduction: { ...TEXT_PART_SCHEMA, description: "the introduction (writer.introduction's output)" },
      sections: { type: 'array', items: { anyOf: [TEXT_PART_SCHEMA, { type: 'null' }] }, default: [], description: "the sections in order (the for_each outputs of writer.section; null for an item that failed)" },
      conclusion: { ...TEXT_PART_SCHEMA, description: "the conclusion (writer.conclusion's output)" },
      code: { type: 'array', items: CODE_EXAMPLE_SCHEMA, default: [], description: "code examples (code.generate's blocks), each placed under its section" },
      related: { type: 'array', items: ARCHIVED_POST_SCHEMA, default: [], description: "earlier posts (ingest.blog_archive's posts); the most related get a Further reading list" },
      keywords: { type: 'array', items: { type: 'string' }, default: [], description: 'keywords that decide which earlier posts are related' },
      max_related: { type: 'integer', minimum: 0, maximum: 20, default: 3, description: 'most earlier posts in the Further reading list (0: none)' },
      source: { type: 'string', default: '', description: "the article's path: its relative links are re-based onto the post's directory" },
      file: { type: 'string', minLength: 1, pattern: '\\.(md|markdown)$', default: 'post.md', description: 'the file written, relative to the output directory' },
    },
  },
  outputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'words', 'offline'],
    properties: { path: { type: 'string' }, words: { type: 'integer', minimum: 0 }, offline: { type: 'boolean' } },
  },
  estimateMs: 20,
  async run(ctx, input) {
    const file = input.file ?? 'post.md';
    // Resolving first refuses a path outside the output directory before anything is built.
    const postDir = dirname(ctx.artifacts.resolve(file));
    const articleDir = input.source ? dirname(resolve(input.source)) : postDir;
    const rebase = (text: string): string => rebaseLinks(text, articleDir, postDir);

    const sections = (input.sections ?? []).filter((s): s is TextPart => s !== null);
    // Only parts with text say who wrote the post (a writer that had nothing to say wrote nothing).
    const parts = [input.introduction, ...sections, input.conclusion].filter((p): p is TextPart => p !== undefined && p.text.trim() !== '');
    const offline = parts.some((p) => p.offline === true);
    const code = input.code ?? [];
    const placed = new Set<number>();
    const prose: string[] = [`# ${input.title}`];
    if (offline) prose.push(OFFLINE_NOTE);
    if (input.introduction && input.introduction.text.trim() !== '') prose.push(rebase(input.introduction.text.trim()));

    for (const section of sections) {
      const heading = section.heading?.trim() || 'Section';
      prose.push(`## ${heading}`, rebase(section.text.trim()));
      for (const example of code) {
        if (example.section !== null && norm(example.section) === norm(heading) && !placed.has(example.index)) {
          placed.add(example.index);
          prose.push(codeBlock(example, false));
        }
      }
    }
    const rest = code.filter((c) => !placed.has(c.index));
    if (rest.length > 0) {
      prose.push('## Code examples');
      for (const example of rest) {
        prose.push(codeBlock(example, true));
      }
    }
    if (input.conclusion && input.conclusion.text.trim() !== '') {
      prose.push(`## ${input.conclusion.heading?.trim() || 'Conclusion'}`, rebase(input.conclusion.text.trim()));
    }
    const related = relatedPosts(input.related ?? [], input.keywords ?? [], input.max_related ?? 3);
    if (related.length > 0) {
      prose.push('## Further reading');
      prose.push(related.map((p) => `- [${p.title}](${encodeURI(posix(relative(postDir, resolve(p.path))))})${p.summary ? `: ${p.summary}` : ''}`).join('\n'));
    }

    const body = `${prose.filter((p) => p !== '').join('\n\n')}\n`;
    const content = `---\n${stringify(frontMatter(input.front_matter ?? {}, parts), { lineWidth: 0 })}---\n\n${body}`;
    const path = await ctx.artifacts.write(file, content, ctx.signal);
    const words = countWords(body.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, ''));
    ctx.logger.info('post assembled', { path, words, offline });
    return { path, words, offline };
  },
};
