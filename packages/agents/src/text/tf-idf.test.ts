import { describe, expect, it } from 'vitest';
import { cosine, TfIdf } from './tf-idf.ts';

describe('TfIdf', () => {
  const index = new TfIdf([
    ['retry', 'backoff'],
    ['retry', 'breaker'],
    ['retry', 'timeout'],
  ]);

  it('weighs rare terms above common ones and unseen terms at zero', () => {
    expect(index.idf('backoff')).toBeGreaterThan(index.idf('retry'));
    expect(index.idf('unknown')).toBe(0);
  });

  it('measures cosine similarity in [0, 1]', () => {
    const a = index.vector(['retry', 'backoff']);
    expect(cosine(a, a)).toBeCloseTo(1);
    expect(cosine(a, index.vector(['breaker']))).toBe(0);
    expect(cosine(a, index.vector(['retry', 'breaker']))).toBeGreaterThan(0);
    expect(cosine(a, new Map())).toBe(0);
  });
});
