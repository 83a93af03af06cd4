import type { RankedSentence } from './rank-sentences.ts';

/** Longest paragraph, in sentences. @default 8 */
export const MAX_PARAGRAPH_SENTENCES = 8;

/**
 * Orders chosen sentences into paragraphs: sentences of one document read together, documents in order
 * of their best sentence, sentences in their original order. A document's sentences keep their source
 * paragraphs, and no paragraph runs past MAX_PARAGRAPH_SENTENCES.
 */
export function arrangeParagraphs(chosen: readonly RankedSentence[]): string[] {
  const groups = new Map<number, RankedSentence[]>();
  for (const s of chosen) {
    const group = groups.get(s.docIndex) ?? [];
    group.push(s);
    groups.set(s.docIndex, group);
  }
  const best = (g: readonly RankedSentence[]): number => Math.max(...g.map((s) => s.score));
  const ordered = [...groups.entries()].sort(([da, a], [db, b]) => best(b) - best(a) || da - db).map(([, g]) => g);
  const paragraphs: string[] = [];
  for (const group of ordered) {
    let current: RankedSentence[] = [];
    for (const s of [...group].sort((a, b) => a.position - b.position)) {
      const last = current.at(-1);
      if (last && (last.paragraph !== s.paragraph || current.length >= MAX_PARAGRAPH_SENTENCES)) {
        paragraphs.push(current.map((c) => c.text).join(' '));
        current = [];
      }
      current.push(s);
    }
    if (current.length > 0) paragraphs.push(current.map((c) => c.text).join(' '));
  }
  return paragraphs;
}
