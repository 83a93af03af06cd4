import type { AgentDefinition } from '@ucop/core';
import { parseMarkdown } from './parse-markdown.ts';
import { readEachFile } from './read-each-file.ts';
import { readTextFile } from './read-text-file.ts';
import { STATE_KEY_PROPERTY, writeSources } from './write-sources.ts';
import { SKIPPED_SCHEMA, type SkippedFile } from './skipped-file.ts';
import { plainText } from '../text/plain-text.ts';
import { splitSentences } from '../text/sentences.ts';
import type { Source } from '../sources/source.ts';

export type IngestBlogArchiveInput = {
  /** Directory of earlier posts (.md); '' or a missing directory gives no sources. @default '' */
  dir?: string;
  /** @default 'sources' */
  state_key?: string;
};

/** An earlier post: enough to relate the new post to it and to link to it. */
export type ArchivedPost = { title: string; summary: string; path: string; date?: string; tags: string[] };

export type IngestBlogArchiveOutput = { dir: string; posts: ArchivedPost[]; skipped: SkippedFile[] };

/** Longest summary kept for a post, in characters. */
const SUMMARY_CHARS = 300;

export const ARCHIVED_POST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'summary', 'path', 'tags'],
  properties: {
    title: { type: 'string' },
    summary: { type: 'string' },
    path: { type: 'string' },
    date: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** The front matter's description, else the first sentences of the first paragraph, up to SUMMARY_CHARS. */
function summaryOf(description: unknown, firstParagraph: string): string {
  if (typeof description === 'string' && description.trim() !== '') return description.trim();
  let out = '';
  for (const sentence of splitSentences(firstParagraph)) {
    if (out !== '' && out.length + sentence.length + 1 > SUMMARY_CHARS) break;
    out = out === '' ? sentence : `${out} ${sentence}`;
  }
  return out;
}

function dateOf(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function tagsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((t): t is string => typeof t === 'string');
  return typeof value === 'string' ? value.split(',').map((t) => t.trim()).filter((t) => t !== '') : [];
}

/**
 * `ingest.blog_archive`: reads earlier posts (.md) and writes one source per post (its title and summary),
 * so that writers can relate the new post to them. No directory, no sources; an unreadable post is skipped.
 */
export const ingestBlogArchiveAgent: AgentDefinition<IngestBlogArchiveInput, IngestBlogArchiveOutput> = {
  name: 'ingest.blog_archive',
  version: '1',
  description: 'Reads earlier blog posts (.md) from a directory: title, summary and path of each; no directory, no sources.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      dir: { type: 'string', default: '', description: "directory of earlier posts; '' or missing gives no sources" },
      state_key: STATE_KEY_PROPERTY,
    },
  },
  outputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['dir', 'posts', 'skipped'],
    properties: { dir: { type: 'string' }, posts: { type: 'array', items: ARCHIVED_POST_SCHEMA }, skipped: SKIPPED_SCHEMA },
  },
  estimateMs: 50,
  async run(ctx, input) {
    const dir = input.dir ?? '';
    const output: IngestBlogArchiveOutput = { dir, posts: [], skipped: [] };
    if (dir === '') return output;
    const sources: Source[] = [];
    output.skipped = await readEachFile(ctx, dir, ['.md', '.markdown'], 'archived post', async (file) => {
      const doc = parseMarkdown(await readTextFile(file.path, ctx.signal, 'the archived post'), file.shown);
      const post: ArchivedPost = {
        title: doc.title,
        summary: plainText(summaryOf(doc.front_matter.description, doc.paragraphs[0]?.text ?? '')),
        path: file.shown,
        tags: tagsOf(doc.front_matter.tags),
      };
      const date = dateOf(doc.front_matter.date);
      if (date !== undefined) post.date = date;
      output.posts.push(post);
      if (post.summary !== '') {
        sources.push({ id: `archive:${file.relative}`, title: post.title, text: post.summary, source: file.shown, kind: 'archive', role: 'post' });
      }
    });
    writeSources(ctx, input.state_key, sources);
    return output;
  },
};
