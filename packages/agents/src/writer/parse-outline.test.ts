import { describe, expect, it } from 'vitest';
import { parseOutline } from './parse-outline.ts';

describe('parseOutline', () => {
  it('reads a bare JSON answer', () => {
    const text = JSON.stringify({ title: 'Post', sections: [{ title: 'A', summary: 'About A.', key_points: ['one', 'two'] }, { heading: 'B' }] });
    expect(parseOutline(text)).toEqual({
      title: 'Post',
      sections: [
        { title: 'A', summary: 'About A.', key_points: ['one', 'two'] },
        { title: 'B', summary: '', key_points: [] },
      ],
    });
  });

  it('reads JSON inside a fence or inside prose, and a bare list of titles', () => {
    expect(parseOutline('Here you go:\n```json\n{"sections": [{"title": "X"}]}\n```\nEnjoy!').sections.map((s) => s.title)).toEqual(['X']);
    expect(parseOutline('Sure! {"sections": [{"title": "Y", "keyPoints": ["k"]}]} Done.').sections).toEqual([{ title: 'Y', summary: '', key_points: ['k'] }]);
    expect(parseOutline('["One", "Two"]').sections.map((s) => s.title)).toEqual(['One', 'Two']);
  });

  it('reads a markdown outline with headings, summaries and bullets', () => {
    const text = '# My post\n\n## Setup\nInstall it.\nThen run it.\n\n- first point\n* second point\n\n### Usage\nSummary: Call it.\nKey points:\n- Key point: a\n';
    expect(parseOutline(text)).toEqual({
      title: 'My post',
      sections: [
        { title: 'Setup', summary: 'Install it. Then run it.', key_points: ['first point', 'second point'] },
        { title: 'Usage', summary: 'Call it.', key_points: ['a'] },
      ],
    });
  });

  it('reads a numbered list of sections and drops duplicates', () => {
    expect(parseOutline('1. **Intro to caching**\n   - why\n2) Keys\n3. keys').sections).toEqual([
      { title: 'Intro to caching', summary: '', key_points: ['why'] },
      { title: 'Keys', summary: '', key_points: [] },
    ]);
  });

  it('finds no section in prose without structure or in broken JSON', () => {
    expect(parseOutline('I cannot help with that.').sections).toEqual([]);
    expect(parseOutline('{"sections": [').sections).toEqual([]);
  });
});
