import { plainText } from '../text/plain-text.ts';
import { splitSentences } from '../text/sentences.ts';

/** Longest meta description search engines show. @default 160 */
export const MAX_DESCRIPTION_CHARS = 160;

/**
 * A meta description from prose: whole sentences while they fit, else the first sentence cut at a word
 * boundary with an ellipsis. Never longer than `max` characters.
 */
export function describe(text: string, max = MAX_DESCRIPTION_CHARS): string {
  let out = '';
  for (const sentence of splitSentences(plainText(text))) {
    const next = out === '' ? sentence : `${out} ${sentence}`;
    if (next.length > max) break;
    out = next;
  }
  if (out !== '') return out;
  const flat = plainText(text);
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}
