import { isAbsolute, relative, resolve, sep } from 'node:path';
import { linkKind } from '../ingest/parse-markdown.ts';

/** An inline link or image target: `](target)` or `](target "title")`. */
const INLINE_LINK = /(\]\()(<[^>]*>|[^)\s]+)((?:\s+"[^"]*")?\))/g;

/**
 * Re-bases a relative link target from the directory of the file it was written in to the directory
 * of the file it now appears in, keeping any `#fragment` or `?query`. Other targets are returned as is.
 */
export function rebaseTarget(target: string, fromDir: string, toDir: string): string {
  if (linkKind(target) !== 'relative' || isAbsolute(target)) return target;
  const cut = target.search(/[?#]/);
  const path = cut === -1 ? target : target.slice(0, cut);
  const suffix = cut === -1 ? '' : target.slice(cut);
  if (path === '') return target;
  let decoded: string;
  try {
    decoded = decodeURI(path);
  } catch {
    return target;
  }
  const rebased = relative(toDir, resolve(fromDir, decoded)).split(sep).join('/');
  return `${encodeURI(rebased === '' ? '.' : rebased)}${suffix}`;
}

/** Rewrites every relative inline link of a markdown text with `rebaseTarget`. Code spans are left alone. */
export function rebaseLinks(markdown: string, fromDir: string, toDir: string): string {
  return markdown
    .split(/(`+[^`]*`+)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(INLINE_LINK, (_all, open: string, target: string, close: string) => {
            const bare = target.startsWith('<') ? target.slice(1, -1) : target;
            return `${open}${rebaseTarget(bare, fromDir, toDir)}${close}`;
          }),
    )
    .join('');
}
