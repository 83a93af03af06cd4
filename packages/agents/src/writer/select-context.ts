import type { Source, SourceKind } from '../sources/source.ts';
import { addVectors, cosine, TfIdf } from '../text/tf-idf.ts';
import { tokenize } from '../text/tokenize.ts';

export interface ContextSelection {
  /** Most sources returned. @default 5 */
  limit?: number;
  /** Sources placed first whatever their score (e.g. the article section a heading names). */
  first?: readonly Source[];
  /** Kinds considered. @default all */
  kinds?: readonly SourceKind[];
}

const TITLE_BOOST = 3;

/**
 * The sources most relevant to a query (TF-IDF cosine over title and text), best first, ties in state
 * order. Sources with nothing in common with the query are left out: a model given unrelated context
 * writes about it.
 */
export function selectContext(sources: readonly Source[], query: string, options: ContextSelection = {}): Source[] {
  const limit = options.limit ?? 5;
  const kinds = options.kinds ? new Set(options.kinds) : undefined;
  const candidates = sources.filter((s) => !kinds || kinds.has(s.kind));
  const tokens = candidates.map((s) => [...tokenize(s.title), ...tokenize(s.text)]);
  const index = new TfIdf(tokens);
  const queryVector = index.vector(tokenize(query));
  const scored = candidates
    .map((source, i) => {
      const vector = addVectors(index.vector(tokenize(source.title), TITLE_BOOST), index.vector(tokenize(source.text)));
      return { source, i, score: cosine(vector, queryVector) };
    })
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i);
  const out: Source[] = [];
  const ids = new Set<string>();
  for (const source of [...(options.first ?? []), ...scored.map((c) => c.source)]) {
    if (out.length >= limit) break;
    if (ids.has(source.id)) continue;
    ids.add(source.id);
    out.push(source);
  }
  return out;
}
