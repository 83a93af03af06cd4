import { describe, expect, it } from 'vitest';
import { isUcopError } from '@ucop/core';
import { parseMarkdown } from './parse-markdown.ts';

const ARTICLE = `---
title: Caching HTTP responses
tags: [cache, http]
---

# Caching

Caching saves requests. See [the guide](docs/guide.md#intro) and [MDN](https://developer.mozilla.org).

## Cache keys

A key names a response.

- Use the URL.
- Add the \`Vary\` headers

### Normalising URLs

Sort the query parameters.

\`\`\`ts title=key.ts
const key = url.toString();
\`\`\`

## Expiry

> Stale data is worse than no data.

\`\`\`
plain block
\`\`\`

![diagram](img/flow.png)
`;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('parseMarkdown', () => {
  const doc = parseMarkdown(ARTICLE, 'kb/caching.md');

  it('reads the front matter and prefers its title', () => {
    expect(doc.front_matter).toEqual({ title: 'Caching HTTP responses', tags: ['cache', 'http'] });
    expect(doc.title).toBe('Caching HTTP responses');
  });

  it('keeps the heading hierarchy with file lines', () => {
    expect(doc.headings.map((h) => [h.depth, h.text, h.line, h.parent])).toEqual([
      [1, 'Caching', 6, null],
      [2, 'Cache keys', 10, 0],
      [3, 'Normalising URLs', 17, 1],
      [2, 'Expiry', 25, 0],
    ]);
    expect(doc.headings[2]!.slug).toBe('normalising-urls');
  });

  it('cuts sections at the level below the title, with subsections inside', () => {
    expect(doc.sections.map((s) => [s.title, s.line])).toEqual([
      ['Cache keys', 10],
      ['Expiry', 25],
    ]);
    expect(doc.sections[0]!.text).toBe('A key names a response.\n\nUse the URL.\n\nAdd the `Vary` headers.\n\nSort the query parameters.');
    expect(doc.lead).toContain('Caching saves requests.');
  });

  it('lists paragraphs, list items and quotes with their section and line', () => {
    expect(doc.paragraphs.map((p) => [p.line, p.section])).toEqual([
      [8, null],
      [12, 'Cache keys'],
      [14, 'Cache keys'],
      [15, 'Cache keys'],
      [19, 'Cache keys'],
      [27, 'Expiry'],
    ]);
    expect(doc.paragraphs[5]!.text).toBe('Stale data is worse than no data.');
  });

  it('finds code blocks with language, code, fence line and section', () => {
    expect(doc.code_blocks).toEqual([
      { index: 0, lang: 'ts', code: 'const key = url.toString();', line: 21, section: 'Cache keys' },
      { index: 1, lang: '', code: 'plain block', line: 29, section: 'Expiry' },
    ]);
  });

  it('finds links and images with their kind and line', () => {
    expect(doc.links).toEqual([
      { href: 'docs/guide.md#intro', text: 'the guide', line: 8, kind: 'relative', image: false },
      { href: 'https://developer.mozilla.org', text: 'MDN', line: 8, kind: 'external', image: false },
      { href: 'img/flow.png', text: 'diagram', line: 33, kind: 'relative', image: true },
    ]);
  });

  it('falls back to the first h1, then to the file name, for the title', () => {
    expect(parseMarkdown('# Only heading\n\nText.', 'a.md').title).toBe('Only heading');
    expect(parseMarkdown('Just text.', 'dir/notes.md').title).toBe('notes');
  });

  it('treats several h1 headings as sections', () => {
    const multi = parseMarkdown('# One\n\nA.\n\n# Two\n\nB.', 'm.md');
    expect(multi.sections.map((s) => s.title)).toEqual(['One', 'Two']);
    expect(multi.title).toBe('m');
  });

  it('reports invalid front matter as AGENT_ERROR with the file line', () => {
    const caught = thrown(() => parseMarkdown('---\ntitle: ok\nbad: [unclosed\n---\nBody', 'x.md'));
    expect(isUcopError(caught) && caught.code).toBe('AGENT_ERROR');
    expect(isUcopError(caught) && caught.location?.file).toBe('x.md');
    expect(isUcopError(caught) && caught.location!.line).toBeGreaterThanOrEqual(3);
  });

  it('reads front matter with the safe YAML loader: a __proto__ key is refused at its line', () => {
    const caught = thrown(() => parseMarkdown('---\ntitle: ok\n__proto__: { polluted: true }\n---\nBody', 'x.md'));
    expect(isUcopError(caught) && [caught.code, caught.location?.line, caught.fields.yamlCode]).toEqual(['AGENT_ERROR', 3, 'YAML_FORBIDDEN_KEY']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
