import { describe, expect, it } from 'vitest';
import type { StateView } from '@ucop/core';
import { readSources } from './read-sources.ts';
import type { Source } from './source.ts';

const a: Source = { id: 'a', title: 'A', text: 'a', source: 'a.md', kind: 'article' };
const b: Source = { id: 'b', title: 'B', text: 'b', source: 'b.md', kind: 'api', role: 'reference' };
const view = (value: unknown): StateView => ({ get: () => value, snapshot: () => ({}), write: () => undefined });

describe('readSources', () => {
  it('reads flat and nested lists alike and skips what is not a source', () => {
    expect(readSources(view([a, b]))).toEqual([a, b]);
    expect(readSources(view([[a], [b]]))).toEqual([a, b]);
    expect(readSources(view([a, { id: 'x' }, 'text', { ...b, kind: 'other' }]))).toEqual([a]);
  });

  it('reads nothing from a missing key', () => {
    expect(readSources(view(undefined))).toEqual([]);
    expect(readSources(view({ not: 'a list' }))).toEqual([]);
  });
});
