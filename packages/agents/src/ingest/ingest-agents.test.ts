import { afterEach, describe, expect, it } from 'vitest';
import { isUcopError } from '@ucop/core';
import { createFakeContext, type FakeContext } from '../testing/fake-context.ts';
import { schemaErrors } from '../testing/schema-assert.ts';
import { tempFiles, type TempFiles } from '../testing/temp-files.ts';
import type { Source } from '../sources/source.ts';
import { ingestApiReferenceAgent } from './ingest-api-reference.ts';
import { ingestBlogArchiveAgent } from './ingest-blog-archive.ts';
import { ingestMarkdownAgent } from './ingest-markdown.ts';

let files: TempFiles | undefined;
let fake: FakeContext | undefined;
afterEach(async () => {
  await files?.remove();
  await fake?.dispose();
  files = undefined;
  fake = undefined;
});

const written = (f: FakeContext): Source[] => f.writes.flatMap((w) => (w.key === 'sources' ? (w.value as Source[]) : []));

describe('ingest.markdown', () => {
  it('parses the article and writes one source per section plus the lead', async () => {
    files = await tempFiles({ 'a.md': '# Title\n\nLead text here.\n\n## First\n\nFirst text.\n\n## Empty\n\n```ts\nx;\n```\n' });
    fake = await createFakeContext();
    const out = await ingestMarkdownAgent.run(fake.ctx, { path: files.path('a.md') });
    expect(schemaErrors(ingestMarkdownAgent.outputSchema, out)).toBe('');
    expect(out.title).toBe('Title');
    expect(written(fake).map((s) => [s.id, s.title, s.text, s.role])).toEqual([
      ['article:a.md', 'Title', 'Lead text here.', 'lead'],
      ['article:a.md#first', 'First', 'First text.', 'section'],
    ]);
  });

  it("writes to another key, or to none with state_key ''", async () => {
    files = await tempFiles({ 'a.md': 'Some text.' });
    fake = await createFakeContext({ writable: ['docs'] });
    await ingestMarkdownAgent.run(fake.ctx, { path: files.path('a.md'), state_key: 'docs' });
    expect(fake.writes.map((w) => w.key)).toEqual(['docs']);
    const silent = await createFakeContext({ writable: [] });
    await ingestMarkdownAgent.run(silent.ctx, { path: files.path('a.md'), state_key: '' });
    expect(silent.writes).toEqual([]);
    await silent.dispose();
  });

  it('fails with FILE_NOT_FOUND for a missing article', async () => {
    fake = await createFakeContext();
    const error = await ingestMarkdownAgent.run(fake.ctx, { path: '/nonexistent/article.md' }).catch((e: unknown) => e);
    expect(isUcopError(error) && error.code).toBe('FILE_NOT_FOUND');
  });

  it('stops when the signal is aborted', async () => {
    files = await tempFiles({ 'a.md': 'Text.' });
    const controller = new AbortController();
    controller.abort();
    fake = await createFakeContext({ signal: controller.signal });
    await expect(ingestMarkdownAgent.run(fake.ctx, { path: files.path('a.md') })).rejects.toThrow();
    expect(fake.writes).toEqual([]);
  });
});

describe('ingest.api_reference', () => {
  it('reads markdown, JSON and YAML references, and skips files that do not parse', async () => {
    files = await tempFiles({
      'api/client.md': '# Client\n\nThe client sends requests.\n\n## get(path)\n\nFetches a resource.\n\n```ts\nclient.get("/x");\n```\n',
      'api/options.json': JSON.stringify({
        name: 'Options',
        description: 'Client options.',
        options: [{ name: 'timeoutMs', type: 'number', default: 1000, description: 'Attempt timeout' }],
        examples: [{ lang: 'TS', code: 'createClient({ timeoutMs: 5 });', title: 'Custom timeout' }],
      }),
      'api/events.yaml': 'title: Events\ndescription: Events the client emits.\nevents:\n  retry: { description: Emitted before a retry. }\n',
      'api/broken.json': '{ "name": ',
      'api/notes.txt': 'ignored',
    });
    fake = await createFakeContext();
    const out = await ingestApiReferenceAgent.run(fake.ctx, { dir: files.path('api') });
    expect(schemaErrors(ingestApiReferenceAgent.outputSchema, out)).toBe('');
    expect(out.references.map((r) => [r.title, r.format])).toEqual([
      ['Client', 'markdown'],
      ['Events', 'yaml'],
      ['Options', 'json'],
    ]);
    const options = out.references[2]!;
    expect(options.symbols).toEqual([{ name: 'timeoutMs', kind: 'option', type: 'number', default: '1000', description: 'Attempt timeout' }]);
    expect(options.examples).toEqual([{ lang: 'ts', code: 'createClient({ timeoutMs: 5 });', title: 'Custom timeout' }]);
    expect(out.references[1]!.symbols).toEqual([{ name: 'retry', kind: 'event', description: 'Emitted before a retry.' }]);
    expect(out.references[0]!.examples[0]).toMatchObject({ lang: 'ts', title: 'get(path)', line: 9 });
    expect(out.skipped.map((s) => s.path)).toEqual([`${files.path('api')}/broken.json`]);
    const sources = written(fake);
    expect(sources.every((s) => s.kind === 'api')).toBe(true);
    expect(sources.find((s) => s.id === 'api:options.json')?.text).toBe('Client options.\n\n`timeoutMs` (number, default `1000`): Attempt timeout.');
  });

  it('reads YAML references with the safe loader: an alias bomb is skipped with its reason', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...['b', 'c', 'd', 'e'].map((n, i) => `${n}: &${n} [${Array(10).fill(`*${'abcd'[i]!}`).join(', ')}]`)].join('\n');
    files = await tempFiles({ 'api/bomb.yaml': bomb, 'api/ok.yaml': 'title: Fine\n' });
    fake = await createFakeContext();
    const out = await ingestApiReferenceAgent.run(fake.ctx, { dir: files.path('api') });
    expect(out.references.map((r) => r.title)).toEqual(['Fine']);
    expect(out.skipped).toEqual([{ path: `${files.path('api')}/bomb.yaml`, reason: expect.stringContaining('YAML_TOO_MANY_ALIASES') }]);
    expect(fake.logs.map((l) => l.message)).toContain('API reference file skipped');
  });

  it('yields no sources, and no write, without a directory or with a missing one', async () => {
    fake = await createFakeContext({ writable: [] });
    expect(await ingestApiReferenceAgent.run(fake.ctx, {})).toEqual({ dir: '', references: [], skipped: [] });
    expect(await ingestApiReferenceAgent.run(fake.ctx, { dir: '/nonexistent/api' })).toEqual({ dir: '/nonexistent/api', references: [], skipped: [] });
    expect(fake.writes).toEqual([]);
  });
});

describe('ingest.blog_archive', () => {
  it('reads each post: title, summary from the description or first paragraph, path, date, tags', async () => {
    files = await tempFiles({
      'posts/b.md': '---\ntitle: Second\ndescription: Described in front matter.\ndate: 2024-02-01\ntags: [a, b]\n---\nBody.',
      'posts/a.md': '# First post\n\nIts first paragraph. It has **two** sentences.\n\nMore.',
      'posts/old/c.markdown': '# Nested\n\nNested post.',
    });
    fake = await createFakeContext();
    const dir = files.path('posts');
    const out = await ingestBlogArchiveAgent.run(fake.ctx, { dir });
    expect(schemaErrors(ingestBlogArchiveAgent.outputSchema, out)).toBe('');
    expect(out.posts).toEqual([
      { title: 'First post', summary: 'Its first paragraph. It has two sentences.', path: `${dir}/a.md`, tags: [] },
      { title: 'Second', summary: 'Described in front matter.', path: `${dir}/b.md`, date: '2024-02-01', tags: ['a', 'b'] },
      { title: 'Nested', summary: 'Nested post.', path: `${dir}/old/c.markdown`, tags: [] },
    ]);
    expect(written(fake).map((s) => [s.kind, s.title, s.role])).toEqual([
      ['archive', 'First post', 'post'],
      ['archive', 'Second', 'post'],
      ['archive', 'Nested', 'post'],
    ]);
  });

  it('yields no posts without a directory', async () => {
    fake = await createFakeContext({ writable: [] });
    expect(await ingestBlogArchiveAgent.run(fake.ctx, { dir: '' })).toEqual({ dir: '', posts: [], skipped: [] });
    expect(await ingestBlogArchiveAgent.run(fake.ctx, { dir: '/nonexistent/posts' })).toMatchObject({ posts: [] });
  });
});
