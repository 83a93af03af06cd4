/** A sparse term-weight vector. */
export type TermVector = ReadonlyMap<string, number>;

/**
 * Inverse document frequencies over a corpus of tokenized documents (sentences, sources), and the
 * TF-IDF vectors and cosine similarity built on them. Everything iterates in insertion order, so the same
 * corpus always gives the same numbers.
 */
export class TfIdf {
  readonly #idf = new Map<string, number>();
  readonly size: number;

  constructor(documents: readonly (readonly string[])[]) {
    this.size = documents.length;
    const df = new Map<string, number>();
    for (const doc of documents) {
      for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
    }
    // Smoothed idf: a term found in every document still weighs a little, and the value stays positive.
    for (const [term, count] of df) this.#idf.set(term, Math.log((1 + this.size) / (1 + count)) + 1);
  }

  /** The idf of a term; terms unseen in the corpus weigh 0, since they cannot help rank its documents. */
  idf(term: string): number {
    return this.#idf.get(term) ?? 0;
  }

  /** Term counts, dampened (1 + ln tf), times idf. `weight` scales every term (for weighted queries). */
  vector(tokens: readonly string[], weight = 1): Map<string, number> {
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    const out = new Map<string, number>();
    for (const [term, tf] of counts) {
      const w = (1 + Math.log(tf)) * this.idf(term) * weight;
      if (w > 0) out.set(term, w);
    }
    return out;
  }
}

/** Adds `b` into `a` term by term. */
export function addVectors(a: Map<string, number>, b: TermVector): Map<string, number> {
  for (const [term, w] of b) a.set(term, (a.get(term) ?? 0) + w);
  return a;
}

/** Cosine similarity in [0, 1]; 0 when either vector is empty. */
export function cosine(a: TermVector, b: TermVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, w] of small) dot += w * (large.get(term) ?? 0);
  if (dot === 0) return 0;
  return dot / (norm(a) * norm(b));
}

function norm(v: TermVector): number {
  let sum = 0;
  for (const w of v.values()) sum += w * w;
  return Math.sqrt(sum);
}
