/**
 * The article `ucop generate -i` turns into a post. It is checked before anything runs: given a JSON file, an
 * empty file or a binary one, the pipeline would otherwise "succeed" and write a post that says nothing,
 * which is worse than an error.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { extname } from 'node:path';
import { UcopError } from '@ucop/core';

/** File name extensions of markdown articles (compared in lower case). */
export const MARKDOWN_EXTENSIONS: readonly string[] = ['.md', '.markdown', '.mdown', '.mkd', '.mkdn'];

/**
 * Throws `USAGE` (exit 2) unless `path` is a non-empty markdown text file: when it does not exist, is a directory, has another extension, is empty or is not UTF-8 text.
 *
 * @param path absolute path of the article
 * @param shown the path as the user gave it, for the messages
 */
export function checkArticleFile(path: string, shown: string = path): void {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    // Bad usage (exit 2), as the README's table says: the -i argument names no file.
    throw new UcopError('USAGE', `article ${shown} does not exist: give the path of a markdown file with -i`, { fields: { path } });
  }
  if (stats.isDirectory()) {
    throw new UcopError('USAGE', `-i ${shown} is a directory: give the markdown article itself, e.g. -i ${shown.replace(/\/+$/, '')}/article.md`, { fields: { path } });
  }
  const extension = extname(path).toLowerCase();
  if (!MARKDOWN_EXTENSIONS.includes(extension)) {
    const what = extension === '' ? 'has no extension' : `is a ${extension} file`;
    throw new UcopError('USAGE', `-i ${shown} ${what}, not a markdown article (${MARKDOWN_EXTENSIONS.join(', ')}): ucop generate turns a markdown article into a post`, {
      fields: { path, extension },
    });
  }
  const bytes = readFileSync(path);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UcopError('USAGE', `-i ${shown} is not UTF-8 text: save the article as UTF-8 markdown`, { fields: { path } });
  }
  if (text.includes('\u0000')) {
    throw new UcopError('USAGE', `-i ${shown} is a binary file, not a markdown article`, { fields: { path } });
  }
  if (text.trim() === '') {
    throw new UcopError('USAGE', `-i ${shown} is empty: there is nothing to write a post from`, { fields: { path } });
  }
}
