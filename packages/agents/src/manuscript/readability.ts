import { syllables, wordsOf } from './prose.ts';

export type Readability = {
  sentences: number;
  words: number;
  /** Mean words per sentence. */
  words_per_sentence: number;
  /** Flesch reading ease: higher is easier; 60-70 is plain English. */
  flesch_reading_ease: number;
  /** Flesch-Kincaid grade level. */
  grade_level: number;
};

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** Flesch reading ease and Flesch-Kincaid grade of a list of sentences. */
export function readability(sentences: readonly string[]): Readability {
  const words = sentences.flatMap((s) => wordsOf(s));
  const count = Math.max(1, words.length);
  const sentenceCount = Math.max(1, sentences.length);
  const syl = words.reduce((sum, w) => sum + syllables(w), 0);
  const wps = count / sentenceCount;
  const spw = syl / count;
  return {
    sentences: sentences.length,
    words: words.length,
    words_per_sentence: round1(wps),
    flesch_reading_ease: round1(206.835 - 1.015 * wps - 84.6 * spw),
    grade_level: round1(0.39 * wps + 11.8 * spw - 15.59),
  };
}

export const READABILITY_SCHEMA = {
  type: 'object',
  required: ['sentences', 'words', 'words_per_sentence', 'flesch_reading_ease', 'grade_level'],
  properties: {
    sentences: { type: 'integer' },
    words: { type: 'integer' },
    words_per_sentence: { type: 'number' },
    flesch_reading_ease: { type: 'number' },
    grade_level: { type: 'number' },
  },
} as const;
