import { plainText } from '../text/plain-text.ts';
import { splitSentences } from '../text/sentences.ts';

/** The prose paragraphs of a chapter's markdown (headings, fences, lists markers and quotes reduced). */
export function proseSentences(markdown: string): string[] {
  const paragraphs = markdown
    .replace(/```[\s\S]*?```/g, '')
    .split(/\n\s*\n/)
    .map((p) => plainText(p.replace(/^\s{0,3}(#{1,6}|[-*+]|\d+[.)]|>)\s+/gm, '')))
    .filter((p) => p !== '');
  return paragraphs.flatMap((p) => splitSentences(p));
}

/** Words of a sentence, letters and apostrophes only. */
export function wordsOf(sentence: string): string[] {
  return sentence.match(/[\p{L}][\p{L}'’-]*/gu) ?? [];
}

/** Syllables of an English word by vowel groups (the usual heuristic of readability formulas). */
export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length <= 3) return 1;
  const trimmed = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  return Math.max(1, (trimmed.match(/[aeiouy]{1,2}/g) ?? []).length);
}
