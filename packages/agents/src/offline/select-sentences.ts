import { plainText } from '../text/plain-text.ts';
import { leansOnPrevious } from './sentence-pool.ts';
import type { RankedSentence } from './rank-sentences.ts';

export interface SelectionOptions {
  /** Characters of text to aim for. */
  budgetChars: number;
  /** Most sentences taken. @default 12 */
  maxSentences?: number;
  /** Sentences scoring below this share of the best score are not relevant enough. @default 0.4 */
  relativeFloor?: number;
  /** Sentences taken regardless of the floors, if there are any. @default 2 */
  minSentences?: number;
  /**
   * Documents matching the query below this share of the best document's match are not drawn from: a
   * section about retries should not borrow from the introduction because both mention retries. @default 0.75
   */
  relativeDocFloor?: number;
  /** Draw only from this document (by context index), e.g. the one titled like the requested heading. */
  onlyDoc?: number;
}

/** Two sentences sharing this share of their terms say the same thing. */
const DUPLICATE_OVERLAP = 0.6;

function overlap(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size === 0 || sb.size === 0) return 0;
  let shared = 0;
  for (const t of sa) if (sb.has(t)) shared++;
  return shared / Math.min(sa.size, sb.size);
}

const keyOf = (s: RankedSentence): string => `${s.docIndex}:${s.position}`;

/**
 * Takes the best-ranked sentences until the budget is spent, skipping near-duplicates. A sentence that
 * leans on its predecessor ("It also ...") brings that predecessor along, so the text never starts a
 * thought in the middle.
 */
export function selectSentences(ranked: readonly RankedSentence[], options: SelectionOptions): RankedSentence[] {
  const maxSentences = options.maxSentences ?? 12;
  const minSentences = options.minSentences ?? 2;
  const floor = (ranked[0]?.score ?? 0) * (options.relativeFloor ?? 0.4);
  const docFloor = Math.max(0, ...ranked.map((s) => s.docScore)) * (options.relativeDocFloor ?? 0.75);
  const byKey = new Map(ranked.map((s) => [keyOf(s), s]));
  const chosen: RankedSentence[] = [];
  const chosenKeys = new Set<string>();
  let used = 0;

  const isDuplicate = (s: RankedSentence): boolean => chosen.some((c) => overlap(c.tokens, s.tokens) >= DUPLICATE_OVERLAP || plainText(c.text) === plainText(s.text));
  const take = (s: RankedSentence): void => {
    chosen.push(s);
    chosenKeys.add(keyOf(s));
    used += plainText(s.text).length + 1;
  };

  for (const sentence of ranked) {
    if (chosen.length >= maxSentences) break;
    if (options.onlyDoc !== undefined && sentence.docIndex !== options.onlyDoc) continue;
    if (chosenKeys.has(keyOf(sentence)) || isDuplicate(sentence)) continue;
    if (chosen.length >= minSentences && sentence.score < floor) break;
    if (chosen.length >= minSentences && sentence.docScore < docFloor) continue;
    const length = plainText(sentence.text).length + 1;
    if (chosen.length >= minSentences && used + length > options.budgetChars) break;
    if (leansOnPrevious(sentence)) {
      const previous = byKey.get(`${sentence.docIndex}:${sentence.position - 1}`);
      if (!previous) continue;
      if (!chosenKeys.has(keyOf(previous))) {
        if (isDuplicate(previous)) continue;
        take(previous);
      }
    }
    take(sentence);
  }
  return chosen;
}
