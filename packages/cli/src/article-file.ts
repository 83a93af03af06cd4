/**
 * The article `ucop generate -i` turns into a post. It is checked before anything runs: given a JSON file, an
 * empty file or a binary one, the pipeline would otherwise "succeed" and write a post that says nothing,
 * which is worse than an error.
 */
import { extname } from 'node:path';
import { MAX_ARTICLE_BYTES, UcopError, decodeUtf8, isUcopError, readFileBytes } from '@ucop/core';

/** File name extensions of markdown articles (compared in lower case). */
export const MARKDOWN_EXTENSIONS: readonly string[] = ['.md', '.markdown', '.mdown', '.mkd', '.mkdn'];

/**
 * Throws unless `path` is a non-empty markdown text file of at most {@link MAX_ARTICLE_BYTES}, read with
 * core's careful reader (a FIFO or /dev/zero is refused at once, the read ends when `signal` aborts):
 * `FILE_NOT_REGULAR` (exit 2) for a FIFO or a device,
 * `FILE_TOO_LARGE` (exit 3) over the limit, `USAGE` (exit 2) when it does not exist (the -i argument names no file, as the README's table says), is a directory, has another extension,
 * is empty or is not UTF-8 text (then at the line and column of the first bad byte).
 *
 * @param path absolute path of the article
 * @param shown the path as the user gave it, for the messages
 */
export async function checkArticleFile(path: string, shown: string = path, signal?: AbortSignal): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await readFileBytes(path, { maxBytes: MAX_ARTICLE_BYTES, what: 'article', ...(signal ? { signal } : {}) });
  } catch (error) {
    if (!isUcopError(error)) throw error;
    if (error.code === 'FILE_NOT_FOUND') {
      throw new UcopError('USAGE', `article ${shown} does not exist: give the path of a markdown file with -i`, { fields: { path } });
    }
    if (error.code === 'FILE_NOT_REGULAR' && error.fields['kind'] === 'a directory') {
      throw new UcopError('USAGE', `-i ${shown} is a directory: give the markdown article itself, e.g. -i ${shown.replace(/\/+$/, '')}/article.md`, { fields: { path } });
    }
    throw error;
  }
  const extension = extname(path).toLowerCase();
  if (!MARKDOWN_EXTENSIONS.includes(extension)) {
    const what = extension === '' ? 'has no extension' : `is a ${extension} file`;
    throw new UcopError('USAGE', `-i ${shown} ${what}, not a markdown article (${MARKDOWN_EXTENSIONS.join(', ')}): ucop generate turns a markdown article into a post`, {
      fields: { path, extension },
    });
  }
  let text: string;
  try {
    text = decodeUtf8(bytes, path, 'article');
  } catch (error) {
    if (!isUcopError(error) || !error.location) throw error;
    const binary = bytes.includes(0);
    const message = binary ? `-i ${shown} is a binary file, not a markdown article` : `-i ${shown} is not UTF-8 text: save the article as UTF-8 markdown`;
    throw new UcopError('USAGE', `${message} (first bad byte at line ${error.location.line}, column ${error.location.col})`, { fields: { path }, location: { ...error.location, file: shown } });
  }
  if (text.trim() === '') {
    throw new UcopError('USAGE', `-i ${shown} is empty: there is nothing to write a post from`, { fields: { path } });
  }
}
