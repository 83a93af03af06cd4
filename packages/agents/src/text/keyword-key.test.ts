import { describe, expect, it } from 'vitest';
import { keywordKey, uniqueKeywords } from './keyword-key.ts';

describe('keywords', () => {
  it('counts inflections of one keyword once', () => {
    expect(keywordKey('Retries')).toBe(keywordKey('retry'));
    expect(keywordKey('circuit breakers')).toBe(keywordKey('circuit breaker'));
  });

  it('keeps the first spelling of each keyword, at most max of them', () => {
    expect(uniqueKeywords(['Retries', 'retry', 'circuit breakers', 'circuit breaker', 'timeouts'], 5)).toEqual(['Retries', 'circuit breakers', 'timeouts']);
    expect(uniqueKeywords(['a1', 'b2', 'c3'], 2)).toEqual(['a1', 'b2']);
  });
});
