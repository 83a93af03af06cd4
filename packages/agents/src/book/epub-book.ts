import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EPub } from '@lesjoursfr/html-to-epub';
import { marked } from 'marked';

export type EpubChapter = { title: string; markdown: string };

export type EpubBook = { title: string; author: string; description: string; lang: string; chapters: EpubChapter[]; date?: string };

const CSS = 'body { font-family: serif; line-height: 1.5; } h1 { text-align: center; margin: 2em 0 1em; } p { text-indent: 1.2em; margin: 0; }';

/**
 * Renders a book as EPUB 3 bytes with html-to-epub (package, navigation document, NCX, one XHTML file per
 * chapter). The library writes to a file, so it writes into a temporary directory that is removed after.
 */
export async function renderEpub(book: EpubBook, signal: AbortSignal): Promise<Uint8Array> {
  signal.throwIfAborted();
  const dir = await mkdtemp(join(tmpdir(), 'ucop-epub-'));
  try {
    const output = join(dir, 'book.epub');
    const epub = new EPub(
      {
        title: book.title,
        description: book.description,
        author: book.author || 'Unknown',
        lang: book.lang,
        css: CSS,
        tocTitle: 'Contents',
        appendChapterTitles: true,
        version: 3,
        verbose: false,
        tempDir: join(dir, 'work'),
        ...(book.date ? { date: book.date } : {}),
        content: book.chapters.map((c) => ({ title: c.title, data: marked.parse(c.markdown, { async: false }) })),
      },
      output,
    );
    await epub.render();
    signal.throwIfAborted();
    return await readFile(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
