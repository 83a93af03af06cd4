import type { AgentDefinition } from '@ucop/core';
import { uniqueKeywords } from '../text/keyword-key.ts';
import { slugify } from '../text/slug.ts';
import { describe, MAX_DESCRIPTION_CHARS } from './description.ts';

export type SeoMetadataInput = {
  title: string;
  /** Prose to describe the post from (its introduction). @default '' */
  text?: string;
  /** Keywords found in the text (after the article's own tags and keywords). @default [] */
  keywords?: string[];
  /** Keywords the user asked for (`--keywords`): listed first, before the article's own. @default [] */
  required_keywords?: string[];
  /** The article's front matter: its description, tags, date, author and slug are kept when present. @default {} */
  front_matter?: Record<string, unknown>;
  /** @default 8 */
  max_keywords?: number;
};

export type SeoMetadataOutput = {
  title: string;
  description: string;
  keywords: string[];
  slug: string;
  front_matter: Record<string, unknown>;
};

/** Longest slug. @default 60 */
export const MAX_SLUG_CHARS = 60;
/** Front matter keys carried over from the article. */
const CARRIED = ['date', 'author', 'authors', 'category', 'categories', 'canonical_url', 'lang'];

function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
  return typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter((v) => v !== '') : [];
}

/**
 * `seo.metadata`: title, meta description (at most 160 characters), keywords, slug, and the post's front
 * matter. Values the article's front matter sets (description, slug, tags, date, author) win over derived ones.
 */
export const seoMetadataAgent: AgentDefinition<SeoMetadataInput, SeoMetadataOutput> = {
  name: 'seo.metadata',
  version: '2',
  description: 'Derives SEO metadata (title, description of at most 160 characters, keywords, slug) and the front matter of the post.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['title'],
    properties: {
      title: { type: 'string', minLength: 1, description: "the post's title" },
      text: { type: 'string', default: '', description: 'prose to describe the post from (its introduction)' },
      keywords: { type: 'array', items: { type: 'string' }, default: [], description: "keywords found in the text, listed after the article's own tags and keywords" },
      required_keywords: { type: 'array', items: { type: 'string' }, default: [], description: "keywords the user asked for (--keywords), listed first" },
      front_matter: { type: 'object', default: {}, description: "the article's front matter: its description, tags, date, author and slug are kept when present" },
      max_keywords: { type: 'integer', minimum: 1, maximum: 50, default: 8, description: 'most keywords in the metadata' },
    },
  },
  outputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['title', 'description', 'keywords', 'slug', 'front_matter'],
    properties: {
      title: { type: 'string' },
      description: { type: 'string', maxLength: MAX_DESCRIPTION_CHARS },
      keywords: { type: 'array', items: { type: 'string' } },
      slug: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$|^$' },
      front_matter: { type: 'object' },
    },
  },
  estimateMs: 10,
  async run(ctx, input) {
    ctx.signal.throwIfAborted();
    const fm = input.front_matter ?? {};
    const title = input.title.trim();
    const given = typeof fm.description === 'string' ? fm.description : '';
    const description = describe(given !== '' ? given : (input.text ?? ''));
    const keywords = uniqueKeywords([...(input.required_keywords ?? []), ...strings(fm.tags), ...strings(fm.keywords), ...(input.keywords ?? [])], input.max_keywords ?? 8).map((k) => k.toLowerCase());
    const slug = slugify(typeof fm.slug === 'string' && fm.slug.trim() !== '' ? fm.slug : title, MAX_SLUG_CHARS);
    const front: Record<string, unknown> = { title, description, slug, keywords };
    for (const key of CARRIED) if (fm[key] !== undefined) front[key] = fm[key];
    if (strings(fm.tags).length > 0) front.tags = strings(fm.tags);
    return { title, description, keywords, slug, front_matter: front };
  },
};
