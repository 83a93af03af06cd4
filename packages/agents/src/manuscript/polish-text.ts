import { repeatedWords } from './chapter-analysis.ts';

export type PolishChanges = {
  quotes: number;
  dashes: number;
  ellipses: number;
  whitespace: number;
  repeated_words: number;
};

function count(text: string, re: RegExp): number {
  return (text.match(re) ?? []).length;
}

/** Typography of one line of prose: curly quotes and apostrophes, em dashes, ellipses. */
function typography(line: string, changes: PolishChanges): string {
  let out = line;
  changes.dashes += count(out, /\s?--\s?/g);
  out = out.replace(/\s?--\s?/g, '—');
  changes.ellipses += count(out, /\.\.\./g);
  out = out.replace(/\.\.\./g, '…');
  changes.quotes += count(out, /["']/g);
  out = out
    .replace(/(\p{L})'(\p{L})/gu, '$1’$2')
    .replace(/(^|[\s([{—])"/gu, '$1“')
    .replace(/"/g, '”')
    .replace(/(^|[\s([{—])'/gu, '$1‘')
    .replace(/'/g, '’');
  return out;
}

/** Spacing: one space between words, none before punctuation, none at the end of a line. */
function spacing(line: string, changes: PolishChanges): string {
  const out = line.replace(/(\S) {2,}/g, '$1 ').replace(/ +([,.;:!?])(?=\s|$)/g, '$1').replace(/[ \t]+$/, '');
  if (out !== line) changes.whitespace++;
  return out;
}

function dropRepeatedWords(line: string, changes: PolishChanges): string {
  if (repeatedWords(line).length === 0) return line;
  return line.replace(/\b(\p{L}+)(\s+)\1\b/giu, (whole: string, word: string) => {
    if (repeatedWords(whole).length === 0) return whole;
    changes.repeated_words++;
    return word;
  });
}

/**
 * Polishes a chapter's markdown without touching its words: typography, spacing, doubled words. Code
 * (fenced blocks and inline spans) is left as it is; so are lines that are only markup.
 */
export function polishText(markdown: string): { text: string; changes: PolishChanges } {
  const changes: PolishChanges = { quotes: 0, dashes: 0, ellipses: 0, whitespace: 0, repeated_words: 0 };
  let fenced = false;
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced || /^\s*(```|~~~)/.test(line) || line.includes('`')) return line;
    return dropRepeatedWords(spacing(typography(line, changes), changes), changes);
  });
  const joined = lines.join('\n');
  const text = joined.replace(/\n{3,}/g, '\n\n').trim();
  if (text !== joined) changes.whitespace++;
  return { text, changes };
}

export const POLISH_CHANGES_SCHEMA = {
  type: 'object',
  required: ['quotes', 'dashes', 'ellipses', 'whitespace', 'repeated_words'],
  properties: {
    quotes: { type: 'integer' },
    dashes: { type: 'integer' },
    ellipses: { type: 'integer' },
    whitespace: { type: 'integer' },
    repeated_words: { type: 'integer' },
  },
} as const;
