/** One planned section of the post. */
export type OutlineSection = { title: string; summary: string; key_points: string[] };

/** The plan of the post. */
export type Outline = { title: string; sections: OutlineSection[] };

export const OUTLINE_SECTION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'summary', 'key_points'],
  properties: {
    title: { type: 'string', minLength: 1 },
    summary: { type: 'string' },
    key_points: { type: 'array', items: { type: 'string' } },
  },
} as const;
