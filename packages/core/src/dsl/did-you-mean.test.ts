import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './did-you-mean.ts';

describe('editDistance', () => {
  it('counts a transposition of neighbours as one edit', () => {
    expect(editDistance('retires', 'retries')).toBe(1);
    expect(editDistance('agnet', 'agent')).toBe(1);
  });
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('didYouMean', () => {
  const keys = ['agent', 'needs', 'with', 'writes', 'for_each', 'max_parallel', 'timeout'];
  it('suggests the closest candidate within the budget', () => {
    expect(didYouMean('agnet', keys)).toBe('agent');
    expect(didYouMean('neds', keys)).toBe('needs');
    expect(didYouMean('timout', keys)).toBe('timeout');
  });
  it('matches another case or separator style', () => {
    expect(didYouMean('maxParallel', keys)).toBe('max_parallel');
    expect(didYouMean('forEach', keys)).toBe('for_each');
  });
  it('suggests nothing when no candidate is close', () => {
    expect(didYouMean('banana', keys)).toBeUndefined();
    expect(didYouMean('x', keys)).toBeUndefined();
    expect(didYouMean('b', ['a', 'c'])).toBeUndefined();
  });
});
