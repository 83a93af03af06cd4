/** A code example for the post, as code.generate outputs it and code.validate and assemble.post read it. */
export type CodeExample = {
  index: number;
  lang: string;
  code: string;
  title: string;
  /** The article section it belongs under; null when it has none (it goes under "Code examples"). */
  section: string | null;
  /** `article`: a block of the article; `api`: an example from a reference file; `generated`: built from a reference. */
  origin: 'article' | 'api' | 'generated';
  /** The file it came from. */
  file: string;
  /** Line of the opening fence in `file`, when it came from a fenced block. */
  line?: number;
};

export const CODE_EXAMPLE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['index', 'lang', 'code', 'title', 'section', 'origin', 'file'],
  properties: {
    index: { type: 'integer', minimum: 0 },
    lang: { type: 'string' },
    code: { type: 'string' },
    title: { type: 'string' },
    section: { type: ['string', 'null'] },
    origin: { enum: ['article', 'api', 'generated'] },
    file: { type: 'string' },
    line: { type: 'integer', minimum: 1 },
  },
} as const;
