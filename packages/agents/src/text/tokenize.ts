import { STOP_WORDS } from './stop-words.ts';
import { plainText } from './plain-text.ts';

/** Words of at least two characters, lower-cased, without stop words or bare numbers. */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/**
 * Folds a word to a crude stem so that "retries" meets "retry" and "limits" meets "limit". Deliberately
 * light (plural endings only): a stronger stemmer would merge words a reader tells apart.
 */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is|os)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** One term as it appears in text: its stem (for matching), its surface form (for display), and its word position. */
export interface Term {
  stem: string;
  word: string;
  /** Index among all words of the text, stop words included: adjacent terms form phrases. */
  position: number;
}

/** Splits markdown or plain text into content terms, in order. */
export function terms(text: string): Term[] {
  const out: Term[] = [];
  let position = -1;
  for (const match of plainText(text).matchAll(WORD)) {
    position++;
    const word = match[0].replace(/['’]s$/i, '').toLowerCase();
    if (word.length < 2 || STOP_WORDS.has(word) || /^\p{N}+$/u.test(word)) continue;
    // An identifier such as `timeoutMs` is a name, not an English plural.
    const identifier = /\p{Ll}\p{Lu}/u.test(match[0]);
    out.push({ stem: identifier ? word : stem(word), word, position });
  }
  return out;
}

/** The stems of `terms(text)`: what relevance ranking compares. */
export function tokenize(text: string): string[] {
  return terms(text).map((t) => t.stem);
}
