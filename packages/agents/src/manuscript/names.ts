import { wordsOf } from './prose.ts';

/** Capitalised words that are not names (pronouns, titles, days, months, sentence openers). */
const NOT_NAMES = new Set(
  (
    'I Im Id Ill Ive A An The He She It We They You His Her Its Our Their My Your This That These Those There Here Then When Where What Who Why How ' +
    'If But And Or So Yet For Nor Not No Yes Oh Ah Mr Mrs Ms Miss Dr Sir Madam Captain Mother Father Aunt Uncle God Chapter ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December'
  ).split(' '),
);

/** A name without its possessive ending. */
function bare(word: string): string {
  return word.replace(/['’]s$/, '').replace(/['’-]+$/, '');
}

/**
 * Capitalised words that are names in one chapter, with how often each occurs. A word counts when it is
 * capitalised somewhere other than at the start of a sentence (or of a quotation): there the capital says
 * it is a name, or when it is one of the `known` names (found in other chapters). Its sentence-initial
 * occurrences are then counted too.
 */
export function chapterNames(sentences: readonly string[], known: ReadonlySet<string> = new Set()): Record<string, number> {
  const inside = new Map<string, number>();
  const initial = new Map<string, number>();
  for (const sentence of sentences) {
    const words = wordsOf(sentence);
    words.forEach((raw, i) => {
      const word = bare(raw);
      if (!/^\p{Lu}\p{Ll}{2,}/u.test(word) || NOT_NAMES.has(word.replace(/['’]/g, ''))) return;
      const before = sentence.slice(0, sentence.indexOf(raw));
      const opensQuote = /[“"‘]\s*$/.test(before);
      const map = i === 0 || opensQuote ? initial : inside;
      map.set(word, (map.get(word) ?? 0) + 1);
    });
  }
  const out: Record<string, number> = {};
  const names = new Set([...inside.keys(), ...[...initial.keys()].filter((w) => known.has(w))]);
  for (const word of [...names].sort()) out[word] = (inside.get(word) ?? 0) + (initial.get(word) ?? 0);
  return out;
}

/** How far apart two spellings may be and still be one name: 1 edit under 7 letters, 2 from 7. */
export function variantDistance(a: string, b: string): number {
  return Math.min(a.length, b.length) >= 7 ? 2 : 1;
}

/** Whether two names differ only by an ending that makes another word (plural, possessive). */
export function sameStem(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return long === `${short}s` || long === `${short}es`;
}
