/** What the text writers (introduction, section, conclusion) return. */
export type WrittenText = {
  heading: string;
  /** Markdown without the heading. */
  text: string;
  /** True when the offline extractive writer wrote it. */
  offline: boolean;
  provider: string;
  model: string;
  /** Ids of the sources handed to the model as context. */
  sources: string[];
};

export const WRITTEN_TEXT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['heading', 'text', 'offline', 'provider', 'model', 'sources'],
  properties: {
    heading: { type: 'string' },
    text: { type: 'string' },
    offline: { type: 'boolean' },
    provider: { type: 'string' },
    model: { type: 'string' },
    sources: { type: 'array', items: { type: 'string' } },
  },
} as const;
