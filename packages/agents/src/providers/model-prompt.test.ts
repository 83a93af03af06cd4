import { describe, expect, it } from 'vitest';
import { promptWithContext } from './model-prompt.ts';

describe('promptWithContext', () => {
  it('returns the prompt unchanged when there are no sources', () => {
    expect(promptWithContext({ prompt: 'Write.' })).toBe('Write.');
    expect(promptWithContext({ prompt: 'Write.', context: [] })).toBe('Write.');
  });

  it('appends numbered, delimited sources with their titles and origins', () => {
    const text = promptWithContext({
      prompt: 'Write the intro.',
      context: [
        { id: 'a', title: 'Caching', text: 'Caches keep hot data.', source: 'kb.md' },
        { id: 'b', text: 'Second ${{ inputs.x }} text.' },
      ],
    });
    expect(text).toBe('Write the intro.\n\n<sources>\n[1] Caching (kb.md)\nCaches keep hot data.\n\n[2] b\nSecond ${{ inputs.x }} text.\n</sources>');
  });

  it('caps the material it sends', () => {
    const long = 'x'.repeat(500);
    const text = promptWithContext({ prompt: 'P', context: [{ id: 'a', text: long }, { id: 'b', text: long }] }, 300);
    expect(text.length).toBeLessThan(400);
    expect(text).toContain('[1] a');
    expect(text).not.toContain('[2] b');
  });
});
