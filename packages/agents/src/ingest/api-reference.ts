/** One documented symbol of an API reference: an option, a method, an endpoint, a section. */
export type ApiSymbol = {
  name: string;
  kind: string;
  description: string;
  signature?: string;
  type?: string;
  /** The default, as JSON text. */
  default?: string;
};

/** A code example found in (or attached to) a reference file. */
export type ApiExample = { lang: string; code: string; title: string; line?: number };

/** What `ingest.api_reference` makes of one reference file. */
export type ApiReference = {
  path: string;
  format: 'markdown' | 'json' | 'yaml';
  title: string;
  summary: string;
  symbols: ApiSymbol[];
  examples: ApiExample[];
};

export const API_EXAMPLE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['lang', 'code', 'title'],
  properties: { lang: { type: 'string' }, code: { type: 'string' }, title: { type: 'string' }, line: { type: 'integer', minimum: 1 } },
} as const;

export const API_REFERENCE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'format', 'title', 'summary', 'symbols', 'examples'],
  properties: {
    path: { type: 'string' },
    format: { enum: ['markdown', 'json', 'yaml'] },
    title: { type: 'string' },
    summary: { type: 'string' },
    symbols: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'kind', 'description'],
        properties: {
          name: { type: 'string' },
          kind: { type: 'string' },
          description: { type: 'string' },
          signature: { type: 'string' },
          type: { type: 'string' },
          default: { type: 'string' },
        },
      },
    },
    examples: { type: 'array', items: API_EXAMPLE_SCHEMA },
  },
} as const;
