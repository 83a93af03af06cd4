import { describe, expect, it } from 'vitest';
import { createFakeContext } from '../testing/fake-context.ts';
import { schemaErrors } from '../testing/schema-assert.ts';
import { describe as describeText } from './description.ts';
import { seoMetadataAgent } from './seo-metadata.ts';

const LONG = 'Retries turn transient failures into successes that users never notice. '.repeat(2) + 'A careless retry, however, turns a small outage into a large one for everybody involved.';

describe('seo.metadata', () => {
  it('derives description, slug and keywords, within their limits', async () => {
    const fake = await createFakeContext();
    const out = await seoMetadataAgent.run(fake.ctx, { title: 'Retrying HTTP Calls: Safely & Quickly!', text: LONG, keywords: ['Retries', 'retry', 'backoff'] });
    expect(schemaErrors(seoMetadataAgent.outputSchema, out)).toBe('');
    expect(out.slug).toBe('retrying-http-calls-safely-quickly');
    expect(out.description.length).toBeLessThanOrEqual(160);
    expect(out.description).toBe('Retries turn transient failures into successes that users never notice. Retries turn transient failures into successes that users never notice.');
    expect(out.keywords).toEqual(['retries', 'backoff']);
    expect(out.front_matter).toEqual({ title: out.title, description: out.description, slug: out.slug, keywords: out.keywords });
  });

  it("keeps what the article's front matter sets", async () => {
    const fake = await createFakeContext();
    const front = { description: 'Given.', slug: 'My Slug', tags: ['a', 'b'], date: '2025-01-01', author: 'Ada', secret: 'not carried' };
    const out = await seoMetadataAgent.run(fake.ctx, { title: 'T', text: LONG, keywords: ['c'], front_matter: front });
    expect(out).toMatchObject({ description: 'Given.', slug: 'my-slug', keywords: ['a', 'b', 'c'] });
    expect(out.front_matter).toEqual({ title: 'T', description: 'Given.', slug: 'my-slug', keywords: ['a', 'b', 'c'], date: '2025-01-01', author: 'Ada', tags: ['a', 'b'] });
  });

  it('lists the keywords the user asked for first, before the article tags and the extracted ones', async () => {
    const fake = await createFakeContext();
    const out = await seoMetadataAgent.run(fake.ctx, { title: 'T', keywords: ['c'], required_keywords: ['zeta'], front_matter: { tags: ['a'] } });
    expect(out.keywords).toEqual(['zeta', 'a', 'c']);
  });

  it('cuts a single long sentence at a word with an ellipsis', () => {
    const text = `${'word '.repeat(60)}end.`;
    const out = describeText(text);
    expect(out.length).toBeLessThanOrEqual(160);
    expect(out.endsWith('word…')).toBe(true);
  });
});
