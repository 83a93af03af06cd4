import { afterEach, describe, expect, it } from 'vitest';
import { isUcopError } from '@ucop/core';
import { createFakeContext } from '../testing/fake-context.ts';
import { schemaErrors } from '../testing/schema-assert.ts';
import { tempFiles, type TempFiles } from '../testing/temp-files.ts';
import { linksCheckAgent } from './links-check.ts';

let files: TempFiles | undefined;
afterEach(async () => {
  await files?.remove();
  files = undefined;
});

const POST = `---
title: Post
---

# Post

See [the guide](guide.md), [the image](img/a%20b.png), [from the article](api/ref.json#options) and [nowhere](missing.md).

## Details

Jump [up](#post), [to details](#details) or [to nothing](#nothing). Visit [the site](https://example.com) and [root](/docs/x.md).

\`\`\`md
[not a link](inside-code.md)
\`\`\`
`;

async function setup(): Promise<TempFiles> {
  files = await tempFiles({ 'out/post.md': POST, 'out/guide.md': '# G', 'out/img/a b.png': '', 'kb/article.md': '# A', 'kb/api/ref.json': '{}' });
  return files;
}

describe('links.check', () => {
  it('finds broken relative links and anchors, lists external links without fetching them', async () => {
    const f = await setup();
    const fake = await createFakeContext({ run: { stepId: 'link_check' } });
    const out = await linksCheckAgent.run(fake.ctx, { path: f.path('out/post.md'), source: f.path('kb/article.md'), flags_key: 'flags' });
    expect(schemaErrors(linksCheckAgent.outputSchema, out)).toBe('');
    expect(out.broken.map((b) => [b.href, b.line])).toEqual([
      ['missing.md', 7],
      ['#nothing', 11],
    ]);
    expect(out).toMatchObject({ ok: false, checked: 7, external: ['https://example.com'], unchecked: ['/docs/x.md'] });
    expect(fake.writes).toEqual([
      {
        key: 'flags',
        value: [
          { kind: 'broken_link', step: 'link_check', href: 'missing.md', line: 7, message: expect.stringContaining('no file at missing.md') },
          { kind: 'broken_link', step: 'link_check', href: '#nothing', line: 11, message: 'no heading has this anchor' },
        ],
      },
    ]);
  });

  it("without the article, links that only resolve from the article's directory are broken", async () => {
    const f = await setup();
    const fake = await createFakeContext();
    const out = await linksCheckAgent.run(fake.ctx, { path: f.path('out/post.md'), check_anchors: false });
    expect(out.broken.map((b) => b.href)).toEqual(['api/ref.json#options', 'missing.md']);
    expect(fake.writes).toEqual([]);
  });

  it('fails the step when asked to', async () => {
    const f = await setup();
    const fake = await createFakeContext();
    const error = await linksCheckAgent.run(fake.ctx, { path: f.path('out/post.md'), fail_on_broken: true }).catch((e: unknown) => e);
    expect(isUcopError(error) && error.code).toBe('AGENT_ERROR');
    expect(isUcopError(error) && error.message).toContain('line 7: missing.md');
  });
});
