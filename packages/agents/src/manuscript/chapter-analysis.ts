import { extractFacts, FACT_SCHEMA, type Fact } from './facts.ts';
import { chapterNames } from './names.ts';
import { proseSentences, wordsOf } from './prose.ts';
import { readability, READABILITY_SCHEMA, type Readability } from './readability.ts';
import type { Chapter } from './chapter.ts';

/** What the offline analysis measured in one chapter. */
export type ChapterAnalysis = {
  index: number;
  title: string;
  /** Names (capitalised inside sentences) and how often each occurs. */
  names: Record<string, number>;
  facts: Fact[];
  /** A word written twice in a row (`the the`). */
  repeated_words: { word: string; sentence: string }[];
  /** Sentences longer than the limit, with their length in words. */
  long_sentences: { words: number; sentence: string }[];
  readability: Readability;
};

/** Doubled words that English uses on purpose. */
const DOUBLING_ALLOWED = new Set(['had', 'that', 'very', 'no', 'so', 'bye', 'far', 'on', 'again', 'round', 'over', 'knock', 'tick', 'tock', 'ha', 'oh']);

/** Words written twice in a row with only spaces between them (case-insensitive), outside the few English allows. */
export function repeatedWords(sentence: string): string[] {
  const out: string[] = [];
  for (const m of sentence.matchAll(/(?<![\p{L}'’])(\p{L}+)(?=\s+(\p{L}+)(?![\p{L}'’]))/gu)) {
    const [a, b] = [m[1]!.toLowerCase(), m[2]!.toLowerCase()];
    if (a === b && !DOUBLING_ALLOWED.has(a)) out.push(a);
  }
  return out;
}

/**
 * Analyses one chapter: names, facts, doubled words, long sentences, readability. `knownNames` (the names
 * other chapters use) lets a name that this chapter only writes at the start of sentences count.
 */
export function analyseChapter(chapter: Chapter, longSentenceWords = 40, knownNames: ReadonlySet<string> = new Set()): ChapterAnalysis {
  const sentences = proseSentences(chapter.text);
  const names = chapterNames(sentences, knownNames);
  return {
    index: chapter.index,
    title: chapter.title,
    names,
    facts: extractFacts(sentences, new Set(Object.keys(names))),
    repeated_words: sentences.flatMap((sentence) => repeatedWords(sentence).map((word) => ({ word, sentence }))),
    long_sentences: sentences.map((sentence) => ({ words: wordsOf(sentence).length, sentence })).filter((s) => s.words > longSentenceWords),
    readability: readability(sentences),
  };
}

export const CHAPTER_ANALYSIS_SCHEMA = {
  type: 'object',
  required: ['index', 'title', 'names', 'facts', 'repeated_words', 'long_sentences', 'readability'],
  properties: {
    index: { type: 'integer' },
    title: { type: 'string' },
    names: { type: 'object', additionalProperties: { type: 'integer' } },
    facts: { type: 'array', items: FACT_SCHEMA },
    repeated_words: { type: 'array', items: { type: 'object', required: ['word', 'sentence'], properties: { word: { type: 'string' }, sentence: { type: 'string' } } } },
    long_sentences: { type: 'array', items: { type: 'object', required: ['words', 'sentence'], properties: { words: { type: 'integer' }, sentence: { type: 'string' } } } },
    readability: READABILITY_SCHEMA,
  },
} as const;

/** Analyses every chapter twice: once for names, then again knowing the names of the whole book. */
export function analyseBook(chapters: readonly Chapter[], signal: AbortSignal, longSentenceWords = 40): ChapterAnalysis[] {
  const known = new Set<string>();
  for (const c of chapters) {
    signal.throwIfAborted();
    for (const name of Object.keys(analyseChapter(c, longSentenceWords).names)) known.add(name);
  }
  return chapters.map((c) => {
    signal.throwIfAborted();
    return analyseChapter(c, longSentenceWords, known);
  });
}
