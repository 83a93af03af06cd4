import { describe, expect, it } from 'vitest';
import { plainText } from './plain-text.ts';
import { stem, terms, tokenize } from './tokenize.ts';
import { keywordKey } from './keyword-key.ts';

describe('tokenize', () => {
  it('drops stop words, short words and bare numbers, and folds plurals', () => {
    expect(tokenize('The retries of 3 policies are in the limits')).toEqual(['retry', 'policy', 'limit']);
  });

  it('reads the visible text of markdown, not link targets', () => {
    expect(tokenize('See [the breaker](https://example.com/docs) and `timeoutMs`')).toEqual(['breaker', 'timeoutms']);
    expect(plainText('**bold** and _it_ with [link](x.md) and ![img](y.png)')).toBe('bold and it with link and img');
  });

  it('records word positions, stop words included, so adjacency means a phrase', () => {
    expect(terms('circuit breaker of the client').map((t) => [t.word, t.position])).toEqual([
      ['circuit', 0],
      ['breaker', 1],
      ['client', 4],
    ]);
  });

  it('stems only plural endings', () => {
    expect([stem('retries'), stem('class'), stem('status'), stem('limits'), stem('api')]).toEqual(['retry', 'class', 'status', 'limit', 'api']);
  });

  it('gives keywords that differ only by case or plural the same key', () => {
    expect(keywordKey('Circuit Breakers')).toBe(keywordKey('circuit breaker'));
    expect(keywordKey('Retries')).toBe(keywordKey('retry'));
    expect(keywordKey('the')).toBe('the');
  });
});
