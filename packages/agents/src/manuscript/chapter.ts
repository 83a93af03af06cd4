/** One chapter of a manuscript, as the manuscript agents pass it along. */
export type Chapter = {
  /** Position in the manuscript, from 1. */
  index: number;
  title: string;
  /** The chapter's markdown without its heading. */
  text: string;
};

export const CHAPTER_SCHEMA = {
  type: 'object',
  required: ['index', 'title', 'text'],
  properties: {
    index: { type: 'integer', minimum: 1 },
    title: { type: 'string' },
    text: { type: 'string' },
  },
} as const;
