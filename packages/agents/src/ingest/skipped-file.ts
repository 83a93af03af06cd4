/** A file that could not be read as a source, and why; skipped rather than failing the step. */
export type SkippedFile = { path: string; reason: string };

export const SKIPPED_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'reason'],
    properties: { path: { type: 'string' }, reason: { type: 'string' } },
  },
} as const;
