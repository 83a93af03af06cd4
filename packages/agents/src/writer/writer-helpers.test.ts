import { describe, expect, it } from 'vitest';
import type { Source } from '../sources/source.ts';
import { isConclusionHeading } from './conclusion-heading.ts';
import { selectContext } from './select-context.ts';
import { stripLeadingHeading } from './strip-heading.ts';

describe('stripLeadingHeading', () => {
  it('removes one leading ATX or setext heading', () => {
    expect(stripLeadingHeading('\n## Title\n\nBody.\n\n## Next')).toBe('Body.\n\n## Next');
    expect(stripLeadingHeading('Title\n=====\nBody.')).toBe('Body.');
    expect(stripLeadingHeading('Body only.')).toBe('Body only.');
    expect(stripLeadingHeading('#hashtag is not a heading')).toBe('#hashtag is not a heading');
  });
});

describe('isConclusionHeading', () => {
  it('recognises closing sections', () => {
    expect(['Conclusion', 'Summary', 'Next steps', 'Wrap-up:', 'Key takeaways'].every(isConclusionHeading)).toBe(true);
    expect(['Summary of options', 'Configuring the client'].some(isConclusionHeading)).toBe(false);
  });
});

describe('selectContext', () => {
  const src = (id: string, title: string, text: string, kind: Source['kind'] = 'article'): Source => ({ id, title, text, source: id, kind });
  const sources = [src('a', 'Keys', 'Cache keys name responses.'), src('b', 'Expiry', 'Entries expire.'), src('c', 'Old', 'Keys of old.', 'archive'), src('d', 'Other', 'Nothing in common.')];

  it('returns relevant sources best first, the forced ones ahead, unrelated ones never', () => {
    expect(selectContext(sources, 'cache keys').map((s) => s.id)).toEqual(['a', 'c']);
    expect(selectContext(sources, 'cache keys', { first: [sources[1]!] }).map((s) => s.id)).toEqual(['b', 'a', 'c']);
    expect(selectContext(sources, 'cache keys', { kinds: ['article'], limit: 1 }).map((s) => s.id)).toEqual(['a']);
  });
});
