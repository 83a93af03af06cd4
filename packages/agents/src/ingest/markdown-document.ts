/** A heading; `parent` is the index of the nearest earlier heading of smaller depth (the hierarchy). */
export type Heading = { depth: number; text: string; slug: string; line: number; parent: number | null };

/** A paragraph, list item or quote, as inline markdown; `section` is the title of its section, null in the lead. */
export type Paragraph = { text: string; line: number; section: string | null };

/** A fenced or indented code block; `line` is the line of its opening fence (the code starts on the next). */
export type CodeBlock = { index: number; lang: string; code: string; line: number; section: string | null };

export type LinkKind = 'relative' | 'external' | 'anchor';

/** A link or image: `relative` targets are files, `external` ones have a scheme (https:, mailto:). */
export type DocumentLink = { href: string; text: string; line: number; kind: LinkKind; image: boolean };

/** A top-level section of the article (the headings one level below the title) with its prose. */
export type DocumentSection = { title: string; slug: string; depth: number; line: number; text: string };

/** What `ingest.markdown` makes of an article. Keys are snake_case, like the workflow that reads them. */
export type MarkdownDocument = {
  /** The path as given to the agent. */
  path: string;
  title: string;
  front_matter: Record<string, unknown>;
  headings: Heading[];
  paragraphs: Paragraph[];
  code_blocks: CodeBlock[];
  links: DocumentLink[];
  /** Prose before the first section. */
  lead: string;
  sections: DocumentSection[];
  /** Words of prose (code excluded). */
  words: number;
};

const LINE = { type: 'integer', minimum: 1 } as const;
const SECTION_REF = { type: ['string', 'null'] } as const;

export const HEADING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['depth', 'text', 'slug', 'line', 'parent'],
  properties: {
    depth: { type: 'integer', minimum: 1, maximum: 6 },
    text: { type: 'string' },
    slug: { type: 'string' },
    line: LINE,
    parent: { type: ['integer', 'null'], minimum: 0 },
  },
} as const;

export const CODE_BLOCK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['index', 'lang', 'code', 'line', 'section'],
  properties: {
    index: { type: 'integer', minimum: 0 },
    lang: { type: 'string', description: 'the fence info string, lower case, first word; empty when none' },
    code: { type: 'string' },
    line: { ...LINE, description: 'line of the opening fence in the file' },
    section: SECTION_REF,
  },
} as const;

export const MARKDOWN_DOCUMENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'title', 'front_matter', 'headings', 'paragraphs', 'code_blocks', 'links', 'lead', 'sections', 'words'],
  properties: {
    path: { type: 'string' },
    title: { type: 'string' },
    front_matter: { type: 'object' },
    headings: { type: 'array', items: HEADING_SCHEMA },
    paragraphs: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'line', 'section'],
        properties: { text: { type: 'string' }, line: LINE, section: SECTION_REF },
      },
    },
    code_blocks: { type: 'array', items: CODE_BLOCK_SCHEMA },
    links: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['href', 'text', 'line', 'kind', 'image'],
        properties: {
          href: { type: 'string' },
          text: { type: 'string' },
          line: LINE,
          kind: { enum: ['relative', 'external', 'anchor'] },
          image: { type: 'boolean' },
        },
      },
    },
    lead: { type: 'string' },
    sections: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'slug', 'depth', 'line', 'text'],
        properties: { title: { type: 'string' }, slug: { type: 'string' }, depth: { type: 'integer' }, line: LINE, text: { type: 'string' } },
      },
    },
    words: { type: 'integer', minimum: 0 },
  },
} as const;
