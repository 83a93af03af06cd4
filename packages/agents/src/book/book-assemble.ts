import { UcopError, type AgentDefinition } from '@ucop/core';
import { slugify } from '../text/slug.ts';
import { DRAFTED_CHAPTER_SCHEMA, type DraftedChapter } from './book-draft.ts';
import type { renderEpub as RenderEpub } from './epub-book.ts';

// Loaded on first use: the EPUB library (html-to-epub and its archiver, axios, parse5, ...) is about 300 modules,
// and every command that builds the agent registry (validate, plan, run of any workflow) would pay for it.
const loadRenderEpub = async (): Promise<typeof RenderEpub> => (await import('./epub-book.ts')).renderEpub;

export type BookAssembleInput = {
  title: string;
  author?: string;
  premise?: string;
  chapters: DraftedChapter[];
  /** Also write the EPUB. @default true */
  epub?: boolean;
  /** Language of the book (BCP 47). @default en */
  lang?: string;
  /** Publication date written in the EPUB (ISO 8601); empty: today at 00:00 UTC (so a day's runs give the same file). @default '' */
  date?: string;
};

export type BookAssembleOutput = { markdown: string; epub: string; chapters: string[]; words: number; offline_chapters: number };

/** The EPUB's date: the one given, else today at midnight UTC. */
function epubDate(given: string | undefined): string {
  if (given) {
    const date = new Date(given);
    if (Number.isNaN(date.getTime())) throw new UcopError('AGENT_ERROR', `date "${given}" is not an ISO 8601 date (e.g. 2026-12-07)`, { retryable: false });
    return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
}

export const OFFLINE_BOOK_NOTE = 'Drafted offline: every chapter was written by the offline extractive writer from the outline and the chapter plan only; configure a provider for prose.';

/** `book.assemble`: the chapters as files, the book as one markdown file and as an EPUB 3. */
export const bookAssembleAgent: AgentDefinition<BookAssembleInput, BookAssembleOutput> = {
  name: 'book.assemble',
  version: '1',
  description: 'Writes each chapter (chapters/NN-title.md), the assembled book as markdown, and an EPUB 3 (html-to-epub); offline drafts are marked as such.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['title', 'chapters'],
    properties: {
      title: { type: 'string', minLength: 1, description: "the book's title" },
      author: { type: 'string', default: '', description: "the book's author, for the title page and the EPUB" },
      premise: { type: 'string', default: '', description: "the book's premise, the EPUB's description" },
      chapters: { type: 'array', minItems: 1, items: DRAFTED_CHAPTER_SCHEMA, description: 'the drafted chapters (book.draft outputs), in any order' },
      epub: { type: 'boolean', default: true, description: 'also write book.epub (EPUB 3)' },
      lang: { type: 'string', minLength: 2, default: 'en', description: 'language of the book (BCP 47), written in the EPUB' },
      date: { type: 'string', default: '', description: "the EPUB's date (ISO 8601); empty: today at 00:00 UTC" },
    },
  },
  outputSchema: {
    type: 'object',
    required: ['markdown', 'epub', 'chapters', 'words', 'offline_chapters'],
    properties: { markdown: { type: 'string' }, epub: { type: 'string' }, chapters: { type: 'array', items: { type: 'string' } }, words: { type: 'integer' }, offline_chapters: { type: 'integer' } },
  },
  estimateMs: 300,
  async run(ctx, input) {
    const chapters = [...input.chapters].sort((a, b) => a.index - b.index);
    const offline = chapters.filter((c) => c.offline).length;
    const note = offline > 0 ? `> ${offline === chapters.length ? OFFLINE_BOOK_NOTE : `${offline} of ${chapters.length} chapters were drafted offline (from the outline only).`}` : '';
    const files: string[] = [];
    for (const c of chapters) {
      const name = `chapters/${String(c.index).padStart(2, '0')}-${slugify(c.title, 40) || 'chapter'}.md`;
      const front = `---\nchapter: ${c.index}\ntitle: ${JSON.stringify(c.title)}\nwords: ${c.words}\noffline: ${c.offline}\nprovider: ${c.provider}\ncontinuity: ${c.continuity}\n---\n`;
      files.push(await ctx.artifacts.write(name, `${front}\n# ${c.title}\n\n${c.text}\n`, ctx.signal));
    }
    const heading = (c: DraftedChapter) => `Chapter ${c.index}: ${c.title}`;
    const body = [`# ${input.title}`, ...(input.author ? ['', `*${input.author}*`] : []), ...(note ? ['', note] : []), ...chapters.flatMap((c) => ['', `## ${heading(c)}`, '', c.text]), ''].join('\n');
    const markdown = await ctx.artifacts.write('book.md', body, ctx.signal);
    let epub = '';
    if (input.epub !== false) {
      const bytes = await (await loadRenderEpub())(
        {
          title: input.title,
          author: input.author ?? '',
          description: [input.premise ?? '', offline > 0 ? OFFLINE_BOOK_NOTE : ''].filter((s) => s !== '').join(' ') || input.title,
          lang: input.lang ?? 'en',
          date: epubDate(input.date),
          chapters: chapters.map((c) => ({ title: heading(c), markdown: c.text })),
        },
        ctx.signal,
      );
      epub = await ctx.artifacts.write('book.epub', bytes, ctx.signal);
    }
    return { markdown, epub, chapters: files, words: chapters.reduce((n, c) => n + c.words, 0), offline_chapters: offline };
  },
};
