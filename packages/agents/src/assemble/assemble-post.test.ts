import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isUcopError } from '@ucop/core';
import { createFakeContext } from '../testing/fake-context.ts';
import { schemaErrors } from '../testing/schema-assert.ts';
import { tempFiles, type TempFiles } from '../testing/temp-files.ts';
import type { CodeExample } from '../code/code-example.ts';
import { assemblePostAgent, OFFLINE_NOTE, type AssemblePostInput } from './assemble-post.ts';
import { rebaseTarget } from './rewrite-links.ts';

let files: TempFiles | undefined;
afterEach(async () => {
  await files?.remove();
  files = undefined;
});

const example = (index: number, section: string | null, code: string): CodeExample => ({ index, lang: 'ts', code, title: `Example ${index}`, section, origin: 'article', file: 'kb/a.md' });

async function setup(): Promise<{ input: AssemblePostInput; outDir: string }> {
  files = await tempFiles({ 'kb/a.md': '# A', 'kb/docs/guide.md': '# Guide', 'posts/old.md': '# Old', 'out/.keep': '' });
  return {
    outDir: files.path('out'),
    input: {
      title: 'Caching',
      front_matter: { title: 'Caching', slug: 'caching' },
      introduction: { text: 'Intro with [the guide](docs/guide.md#top) and [web](https://x.dev).', offline: true, provider: 'offline', model: 'extractive-v1' },
      sections: [{ heading: 'Keys', text: 'Keys text.', offline: true }, null, { heading: 'Expiry', text: 'Expiry text, see `[x](docs/guide.md)`.', offline: false, provider: 'openai', model: 'gpt' }],
      conclusion: { heading: 'Conclusion', text: 'The end.', offline: true },
      code: [example(0, 'keys', 'const k = "```";'), example(1, null, 'const other = 1;')],
      related: [{ title: 'Old post', summary: 'About caching keys.', path: files.path('posts/old.md'), tags: [] }],
      keywords: ['caching'],
      source: files.path('kb/a.md'),
    },
  };
}

describe('assemble.post', () => {
  it('writes one markdown post with front matter, sections, code and further reading', async () => {
    const { input, outDir } = await setup();
    const fake = await createFakeContext({ outDir });
    const out = await assemblePostAgent.run(fake.ctx, input);
    expect(schemaErrors(assemblePostAgent.outputSchema, out)).toBe('');
    expect(out.path).toBe(join(outDir, 'post.md'));
    const text = await readFile(out.path, 'utf8');
    const [, yamlText, body] = /^---\n([\s\S]*?)---\n\n([\s\S]*)$/.exec(text)!;
    expect(parse(yamlText!)).toEqual({ title: 'Caching', slug: 'caching', generator: 'offline', models: ['openai/gpt'] });
    expect(body).toBe(
      [
        '# Caching',
        OFFLINE_NOTE,
        'Intro with [the guide](../kb/docs/guide.md#top) and [web](https://x.dev).',
        '## Keys',
        'Keys text.',
        '````ts\nconst k = "```";\n````',
        '## Expiry',
        'Expiry text, see `[x](docs/guide.md)`.',
        '## Code examples',
        '### Example 1\n\n```ts\nconst other = 1;\n```',
        '## Conclusion',
        'The end.',
        '## Further reading',
        '- [Old post](../posts/old.md): About caching keys.',
      ].join('\n\n') + '\n',
    );
    expect(out.words).toBeGreaterThan(20);
    expect(out.words).toBeLessThan(80);
  });

  it('says nothing about offline writing when a model wrote every part', async () => {
    const { input, outDir } = await setup();
    const online = { offline: false, provider: 'anthropic', model: 'claude' };
    const fake = await createFakeContext({ outDir });
    const out = await assemblePostAgent.run(fake.ctx, {
      ...input,
      introduction: { text: 'Intro.', ...online },
      sections: [{ heading: 'Keys', text: 'Text.', ...online }],
      conclusion: { text: '', offline: false, provider: 'none', model: 'none' },
    });
    const text = await readFile(out.path, 'utf8');
    expect(out.offline).toBe(false);
    expect(text).toContain('generator: llm\nmodels:\n  - anthropic/claude\n---');
    expect(text).not.toContain('offline');
    expect(text).not.toContain('## Conclusion');
  });

  it('writes only inside the output directory', async () => {
    const { input, outDir } = await setup();
    const fake = await createFakeContext({ outDir });
    for (const file of ['../escape.md', '/tmp/abs.md', 'sub/../../escape.md']) {
      const error = await assemblePostAgent.run(fake.ctx, { ...input, file }).catch((e: unknown) => e);
      expect(isUcopError(error) && error.code).toBe('ARTIFACT_PATH_ESCAPE');
    }
    expect(await readdir(files!.dir)).toEqual(['kb', 'out', 'posts']);
    const nested = await assemblePostAgent.run(fake.ctx, { ...input, file: 'blog/2025/post.md' });
    expect(nested.path).toBe(join(outDir, 'blog/2025/post.md'));
    expect(await readFile(nested.path, 'utf8')).toContain('[the guide](../../../kb/docs/guide.md#top)');
  });
});

describe('rebaseTarget', () => {
  it('re-bases relative targets and leaves the others alone', () => {
    expect(rebaseTarget('docs/a%20b.md?x=1#y', '/r/kb', '/r/out')).toBe('../kb/docs/a%20b.md?x=1#y');
    expect(rebaseTarget('#anchor', '/r/kb', '/r/out')).toBe('#anchor');
    expect(rebaseTarget('https://x.dev/a', '/r/kb', '/r/out')).toBe('https://x.dev/a');
    expect(rebaseTarget('mailto:a@b.c', '/r/kb', '/r/out')).toBe('mailto:a@b.c');
    expect(rebaseTarget('/site/root.md', '/r/kb', '/r/out')).toBe('/site/root.md');
  });
});
