/** A cross-chapter problem found by the checks: what a fix task works from. */
export type Flag = {
  /** Stable id: the kind, the chapter and what was found (`name_variant:8:Edwin`). */
  id: string;
  kind: 'name_variant' | 'date_conflict' | 'number_conflict';
  /** The chapter where the deviation is (the one a fix changes). */
  chapter: number;
  /** The chapter that established what the deviation contradicts. */
  target: number;
  /** What was found in `chapter` and what `target` established. */
  found: string;
  expected: string;
  /** The sentence of `chapter` that shows the problem. */
  evidence: string;
  /** The sentence of `target` that established the expected value. */
  established: string;
  message: string;
};

export const FLAG_SCHEMA = {
  type: 'object',
  required: ['id', 'kind', 'chapter', 'target', 'found', 'expected', 'evidence', 'established', 'message'],
  properties: {
    id: { type: 'string' },
    kind: { enum: ['name_variant', 'date_conflict', 'number_conflict'] },
    chapter: { type: 'integer' },
    target: { type: 'integer' },
    found: { type: 'string' },
    expected: { type: 'string' },
    evidence: { type: 'string' },
    established: { type: 'string' },
    message: { type: 'string' },
  },
} as const;
