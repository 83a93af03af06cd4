import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences.ts';

describe('splitSentences', () => {
  it('splits on terminal punctuation followed by a capital', () => {
    expect(splitSentences('Retries help. They can also hurt! Do they? Yes.')).toEqual(['Retries help.', 'They can also hurt!', 'Do they?', 'Yes.']);
  });

  it('does not split after abbreviations, inside code spans or inside link targets', () => {
    const text = 'Use a jittered delay, e.g. Full jitter. Call `client.get()` and `a. B` first. See [the doc](./docs/a. B.md) for more.';
    expect(splitSentences(text)).toEqual(['Use a jittered delay, e.g. Full jitter.', 'Call `client.get()` and `a. B` first.', 'See [the doc](./docs/a. B.md) for more.']);
  });

  it('treats blank lines as boundaries and joins wrapped lines', () => {
    expect(splitSentences('First line\nwraps here\n\nSecond paragraph')).toEqual(['First line wraps here', 'Second paragraph']);
  });

  it('keeps closing quotes and brackets with their sentence', () => {
    expect(splitSentences('He said "stop." Then it stopped.')).toEqual(['He said "stop."', 'Then it stopped.']);
  });
});
