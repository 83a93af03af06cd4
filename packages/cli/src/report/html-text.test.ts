import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from './html-text.ts';

describe('html text', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });

  it('keeps JSON from closing its script element, and parses back unchanged', () => {
    const value = { id: '</script><script>alert(1)</script>', c: '<!-- \u2028 \u2029 &' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/<|>|\u2028|\u2029/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
