import type { ContextDocument } from '@ucop/core';
import { addVectors, cosine, TfIdf } from '../text/tf-idf.ts';
import { tokenize } from '../text/tokenize.ts';
import type { CandidateSentence } from './sentence-pool.ts';

/** A candidate with its relevance score. */
export interface RankedSentence extends CandidateSentence {
  score: number;
  /** How well the sentence's document as a whole matches the query. */
  docScore: number;
}

/** What the text is asked to be about. */
export interface RankingQuery {
  /** The heading (or purpose) of the text: weighs most. */
  focus: string;
  /** The rest of the request (the rendered prompt): weighs less. */
  detail: string;
}

// The blend of the score. A sentence that matches the query counts, but so does belonging to the document
// that matches it best (its sentences share context even when they share no words with the heading), and
// being early in its document (topic sentences come first).
const SENTENCE_WEIGHT = 0.45;
const DOCUMENT_WEIGHT = 0.45;
const POSITION_WEIGHT = 0.1;
const FOCUS_BOOST = 3;
const TITLE_BOOST = 3;

/**
 * Ranks candidate sentences against the query with TF-IDF cosine similarity (idf over the candidates),
 * best first. Ties keep document order, then sentence order, so the ranking is a pure function of its input.
 */
export function rankSentences(pool: readonly CandidateSentence[], context: readonly ContextDocument[], query: RankingQuery): RankedSentence[] {
  const index = new TfIdf(pool.map((s) => s.tokens));
  const queryVector = addVectors(index.vector(tokenize(query.focus), FOCUS_BOOST), index.vector(tokenize(query.detail)));
  const docScores = context.map((doc) => {
    const vector = addVectors(index.vector(tokenize(doc.title ?? ''), TITLE_BOOST), index.vector(tokenize(doc.text)));
    return cosine(vector, queryVector);
  });
  return pool
    .map((s) => ({
      ...s,
      docScore: docScores[s.docIndex] ?? 0,
      score:
        SENTENCE_WEIGHT * cosine(index.vector(s.tokens), queryVector) +
        DOCUMENT_WEIGHT * (docScores[s.docIndex] ?? 0) +
        POSITION_WEIGHT / (1 + s.position) / (1 + s.docIndex),
    }))
    .sort((a, b) => b.score - a.score || a.docIndex - b.docIndex || a.position - b.position);
}
