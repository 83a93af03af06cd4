import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EPub } from '@lesjoursfr/html-to-epub';
import { UcopError } from '@ucop/core';
import { marked } from 'marked';
import { normalizeZip } from './normalize-zip.ts';

export type EpubChapter = { title: string; markdown: string };

export type EpubBook = {
  title: string;
  author: string;
  description: string;
  lang: string;
  chapters: EpubChapter[];
  /** Publication and modification date (ISO 8601), also stamped on every zip entry. */
  date: string;
};

/** A version-4-shaped UUID from the book's content: the same book gets the same identifier. */
function contentUuid(book: EpubBook): string {
  const hex = createHash('sha256').update(JSON.stringify([book.title, book.author, book.lang, book.chapters])).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const CSS = 'body { font-family: serif; line-height: 1.5; } h1 { text-align: center; margin: 2em 0 1em; } p { text-indent: 1.2em; margin: 0; }';

/**
 * The library's own EPUB 3 package template with `dcterms:modified` set to `date` instead of the clock
 * (the only line that reads it), so that the package document is the same for the same book.
 */
async function modifiedAtDateTemplate(date: string): Promise<string> {
  const template = await readFile(fileURLToPath(new URL('../templates/epub3/content.opf.ejs', import.meta.resolve('@lesjoursfr/html-to-epub'))), 'utf8');
  const modified = `${new Date(date).toISOString().split('.')[0]}Z`;
  const fixed = template.replace(/<%= \(new Date\(\)\)\.toISOString\(\)[^%]*%>/, modified);
  if (fixed === template) throw new UcopError('AGENT_ERROR', 'the EPUB package template of @lesjoursfr/html-to-epub no longer has the expected dcterms:modified line', { retryable: false });
  return fixed;
}

/**
 * Renders a book as EPUB 3 bytes with html-to-epub (package, navigation document, NCX, one XHTML file per
 * chapter). The library writes to a file, so it writes into a temporary directory that is removed after.
 * The same book and date give the same bytes: the identifier comes from the content, the entries' times
 * from `date`.
 */
export async function renderEpub(book: EpubBook, signal: AbortSignal): Promise<Uint8Array> {
  signal.throwIfAborted();
  const dir = await mkdtemp(join(tmpdir(), 'ucop-epub-'));
  try {
    const output = join(dir, 'book.epub');
    const opf = join(dir, 'content.opf.ejs');
    await writeFile(opf, await modifiedAtDateTemplate(book.date));
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
        customOpfTemplatePath: opf,
        date: book.date,
        content: book.chapters.map((c) => ({ title: c.title, data: marked.parse(c.markdown, { async: false }) })),
      },
      output,
    );
    // The library draws a random identifier; the book's own keeps the file the same for the same content.
    epub.uuid = contentUuid(book);
    await epub.render();
    signal.throwIfAborted();
    return normalizeZip(await readFile(output), new Date(book.date), ['mimetype']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
