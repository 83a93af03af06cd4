import { describe, expect, it } from 'vitest';
import type { LlmClient, LlmRequest } from '@ucop/core';
import { createFakeContext } from '../testing/fake-context.ts';
import { schemaErrors } from '../testing/schema-assert.ts';
import type { Source } from '../sources/source.ts';
import { createConclusionAgent } from './writer-conclusion.ts';
import { createIntroductionAgent } from './writer-introduction.ts';
import { createOutlineAgent } from './writer-outline.ts';
import { createSectionAgent } from './writer-section.ts';

const art = (slug: string, title: string, text: string, role: Source['role'] = 'section'): Source => ({
  id: `article:a.md${slug === '' ? '' : `#${slug}`}`,
  title,
  text,
  source: 'a.md',
  kind: 'article',
  role,
});

const SOURCES: Source[] = [
  art('', 'Caching guide', 'Caching makes slow services fast. This guide shows how to cache safely.', 'lead'),
  art('keys', 'Cache keys', 'A cache key names a stored response. Keys include the URL and the Vary headers. Normalise the URL before hashing it.'),
  art('expiry', 'Expiry', 'Every entry expires after its time to live. Stale entries are refreshed in the background. Expiry keeps data fresh.'),
  art('summary', 'Summary', 'Start with short lifetimes and measure the hit rate. Raise them once the keys are right.'),
  { id: 'archive:old.md', title: 'Old post', text: 'An older post about caching keys.', source: 'old.md', kind: 'archive', role: 'post' },
];

const HEADINGS = [
  { depth: 1, text: 'Caching guide' },
  { depth: 2, text: 'Cache keys' },
  { depth: 3, text: 'Hashing' },
  { depth: 2, text: 'Expiry' },
  { depth: 2, text: 'Summary' },
];

/** A model that always answers `text`, recording requests. */
function scripted(text: string, requests: LlmRequest[] = []): LlmClient {
  return {
    generate(request) {
      requests.push(request);
      return Promise.resolve({ text, provider: 'stub', model: 'm1', usage: { inputTokens: 1, outputTokens: 1, costUsd: 0 }, offline: false });
    },
  };
}

describe('writer.outline', () => {
  const agent = createOutlineAgent();

  it('offline: one section per article section, the lead and closing sections left out', async () => {
    const fake = await createFakeContext({ state: { sources: SOURCES } });
    const out = await agent.run(fake.ctx, { title: 'Caching guide', headings: HEADINGS, topics: ['cache'], title_key: 'title' });
    expect(schemaErrors(agent.outputSchema, out)).toBe('');
    expect(out.sections.map((s) => s.title)).toEqual(['Cache keys', 'Expiry']);
    expect(out).toMatchObject({ title: 'Caching guide', origin: 'llm', offline: true, provider: 'offline' });
    expect(out.sections[0]!.summary).not.toBe('');
    expect(fake.writes).toEqual([{ key: 'title', value: 'Caching guide' }]);
    expect(fake.llmRequests[0]!.purpose).toBe('outline');
    expect(fake.llmRequests[0]!.prompt).toContain('- Cache keys\n- Expiry\n- Summary');
  });

  it("uses a model's JSON outline and title, without its closing section", async () => {
    const answer = '```json\n{"title": "Fast caches", "sections": [{"title": "Keys", "summary": "s", "key_points": ["k"]}, {"title": "Conclusion"}]}\n```';
    const fake = await createFakeContext({ state: { sources: SOURCES }, llm: scripted(answer) });
    const out = await agent.run(fake.ctx, { title: 'Caching guide', headings: HEADINGS });
    expect(out).toEqual({ title: 'Fast caches', sections: [{ title: 'Keys', summary: 's', key_points: ['k'] }], origin: 'llm', offline: false, provider: 'stub', model: 'm1' });
  });

  it('falls back to the article headings when the answer has no usable section', async () => {
    const fake = await createFakeContext({ state: { sources: SOURCES }, llm: scripted('Sorry, I cannot do that.') });
    const out = await agent.run(fake.ctx, { title: 'Caching guide', headings: HEADINGS, max_sections: 1 });
    expect(out.origin).toBe('headings');
    expect(out.sections).toEqual([{ title: 'Cache keys', summary: 'A cache key names a stored response.', key_points: [] }]);
    expect(fake.logs.some((l) => l.level === 'warn')).toBe(true);
  });
});

describe('writer.section', () => {
  const agent = createSectionAgent();

  it('asks for the heading with the article section of that name first in the context', async () => {
    const fake = await createFakeContext({ state: { sources: SOURCES } });
    const out = await agent.run(fake.ctx, { heading: 'Expiry', summary: 'When entries expire', key_points: ['time to live'], title: 'Caching guide' });
    expect(schemaErrors(agent.outputSchema, out)).toBe('');
    const request = fake.llmRequests[0]!;
    expect(request.purpose).toBe('Expiry');
    expect(request.context?.[0]?.id).toBe('article:a.md#expiry');
    expect(request.context?.some((d) => d.id.startsWith('archive:'))).toBe(false);
    expect(request.prompt).toContain('- time to live');
    expect(out.heading).toBe('Expiry');
    expect(out.text.startsWith('#')).toBe(false);
    expect(out.text).toContain('Every entry expires after its time to live.');
    expect(out.text).not.toContain('cache key');
    expect(out.offline).toBe(true);
    expect(out.sources[0]).toBe('article:a.md#expiry');
  });

  it("strips a heading the model repeated", async () => {
    const fake = await createFakeContext({ state: { sources: SOURCES }, llm: scripted('### Expiry\n\nBody text.') });
    expect((await agent.run(fake.ctx, { heading: 'Expiry' })).text).toBe('Body text.');
  });
});

describe('writer.introduction and writer.conclusion', () => {
  it("introduction: the article's lead first, purpose 'Introduction'", async () => {
    const agent = createIntroductionAgent();
    const fake = await createFakeContext({ state: { sources: SOURCES } });
    const out = await agent.run(fake.ctx, { title: 'Caching guide', topics: ['cache'], sections: [{ title: 'Cache keys' }, 'Expiry'] });
    expect(schemaErrors(agent.outputSchema, out)).toBe('');
    expect(fake.llmRequests[0]!.purpose).toBe('Introduction');
    expect(fake.llmRequests[0]!.context?.[0]?.id).toBe('article:a.md');
    expect(fake.llmRequests[0]!.prompt).toContain('- Cache keys\n- Expiry');
    expect(out.text).toContain('Caching makes slow services fast.');
  });

  it("conclusion: drawn from the article's closing section", async () => {
    const agent = createConclusionAgent();
    const fake = await createFakeContext({ state: { sources: SOURCES } });
    const out = await agent.run(fake.ctx, { title: 'Caching guide', sections: ['Cache keys', 'Expiry'] });
    expect(schemaErrors(agent.outputSchema, out)).toBe('');
    expect(fake.llmRequests[0]!.context?.map((d) => d.id)).toEqual(['article:a.md#summary']);
    expect(out).toMatchObject({ heading: 'Conclusion', offline: true });
    expect(out.text).toContain('Start with short lifetimes and measure the hit rate.');
  });

  it('conclusion without a closing section: the sources closest to the post', async () => {
    const agent = createConclusionAgent();
    const fake = await createFakeContext({ state: { sources: SOURCES.filter((s) => s.title !== 'Summary') } });
    await agent.run(fake.ctx, { title: 'Caching guide', sections: ['Expiry'] });
    const ids = fake.llmRequests[0]!.context?.map((d) => d.id) ?? [];
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.some((id) => id.startsWith('archive:') || id === 'article:a.md')).toBe(false);
  });

  it('conclusion with nothing but the lead: no text and no model call', async () => {
    const agent = createConclusionAgent();
    const fake = await createFakeContext({ state: { sources: SOURCES.filter((s) => s.role === 'lead') } });
    const out = await agent.run(fake.ctx, { title: 'Caching guide' });
    expect(schemaErrors(agent.outputSchema, out)).toBe('');
    expect(out).toEqual({ heading: 'Conclusion', text: '', offline: false, provider: 'none', model: 'none', sources: [] });
    expect(fake.llmRequests).toEqual([]);
  });
});
