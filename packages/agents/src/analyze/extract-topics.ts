import type { Source, SourceKind } from '../sources/source.ts';
import { splitSentences } from '../text/sentences.ts';
import { terms, type Term } from '../text/tokenize.ts';
import { TfIdf } from '../text/tf-idf.ts';

/** A topic term with its weight in the sources and how often it occurs. */
export type Topic = { term: string; score: number; count: number };

export interface TopicOptions {
  /** Most topics returned. @default 12 */
  maxTopics?: number;
  /**
   * How much each kind of source counts: the article is what the post is about; references and earlier
   * posts only add context. @default { article: 1, api: 0.5, archive: 0.25 }
   */
  kindWeights?: Partial<Record<SourceKind, number>>;
}

const DEFAULT_WEIGHTS: Record<SourceKind, number> = { article: 1, api: 0.5, archive: 0.25 };
/** A title says what its section is about: its terms count this many times. */
const TITLE_WEIGHT = 2;
/** A phrase must occur this often before it can be a topic (one-off word pairs are noise). */
const MIN_PHRASE_COUNT = 2;
/** Phrases are more specific than single words; this scales their score. */
const PHRASE_BOOST = 1.5;

interface Sentence {
  keys: string[];
  weight: number;
}

/** Single-word stems plus two-word phrases of adjacent content words, with the surface forms seen. */
function sentenceKeys(list: readonly Term[], surfaces: Map<string, Map<string, number>>): string[] {
  const keys: string[] = [];
  const see = (key: string, word: string): void => {
    const forms = surfaces.get(key) ?? new Map<string, number>();
    forms.set(word, (forms.get(word) ?? 0) + 1);
    surfaces.set(key, forms);
  };
  list.forEach((term, i) => {
    keys.push(term.stem);
    see(term.stem, term.word);
    const next = list[i + 1];
    if (next && next.position === term.position + 1 && next.stem !== term.stem) {
      const key = `${term.stem} ${next.stem}`;
      keys.push(key);
      see(key, `${term.word} ${next.word}`);
    }
  });
  return keys;
}

/** The most frequent surface form; ties go to the alphabetically first, so output never depends on order. */
function displayForm(forms: ReadonlyMap<string, number> | undefined, key: string): string {
  let best = key;
  let bestCount = -1;
  for (const [form, count] of forms ?? []) {
    if (count > bestCount || (count === bestCount && form < best)) {
      best = form;
      bestCount = count;
    }
  }
  return best;
}

/**
 * TF-IDF topic extraction over the sentences of the sources (each sentence is a document, so a term that
 * is everywhere weighs little). Deterministic: sums run in source order and ties break alphabetically.
 * A single word already covered by a better-ranked phrase ("circuit" under "circuit breaker") is dropped.
 */
export function extractTopics(sources: readonly Source[], options: TopicOptions = {}): Topic[] {
  const weights = { ...DEFAULT_WEIGHTS, ...options.kindWeights };
  const surfaces = new Map<string, Map<string, number>>();
  const sentences: Sentence[] = [];
  for (const source of sources) {
    const weight = weights[source.kind];
    if (weight <= 0) continue;
    sentences.push({ keys: sentenceKeys(terms(source.title), surfaces), weight: weight * TITLE_WEIGHT });
    for (const text of splitSentences(source.text)) sentences.push({ keys: sentenceKeys(terms(text), surfaces), weight });
  }
  const index = new TfIdf(sentences.map((s) => s.keys));
  const scores = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const sentence of sentences) {
    for (const key of sentence.keys) {
      scores.set(key, (scores.get(key) ?? 0) + sentence.weight * index.idf(key));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const ranked = [...scores.entries()]
    .filter(([key]) => !key.includes(' ') || (counts.get(key) ?? 0) >= MIN_PHRASE_COUNT)
    .map(([key, score]) => ({ key, score: key.includes(' ') ? score * PHRASE_BOOST : score }))
    .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const maxTopics = options.maxTopics ?? 12;
  const covered = new Set<string>();
  const out: Topic[] = [];
  for (const { key, score } of ranked) {
    if (out.length >= maxTopics) break;
    if (!key.includes(' ') && covered.has(key)) continue;
    if (key.includes(' ')) for (const part of key.split(' ')) covered.add(part);
    out.push({ term: displayForm(surfaces.get(key), key), score: Math.round(score * 10_000) / 10_000, count: counts.get(key) ?? 0 });
  }
  return out;
}
