import { describe, it, expect } from 'vitest';
import { stepGraphOf } from './step-graph.ts';

describe('stepGraphOf', () => {
  it('keeps known dependencies once each, in file order, with dependents ascending and self-loops kept', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const graph = stepGraphOf(ids, new Map([['b', ['a']], ['c', ['b', 'nope', 'a', 'b']], ['d', ['d', 'a']]]));
    expect(graph.dependencies.get('c')).toEqual(['a', 'b']);
    expect(graph.dependencies.get('d')).toEqual(['a', 'd']);
    expect(graph.dependencies.get('a')).toEqual([]);
    const dependentsOf = (i: number) => Array.from(graph.dependents.subarray(graph.dependentStart[i]!, graph.dependentStart[i + 1]!), (k) => ids[k]);
    expect(dependentsOf(0)).toEqual(['b', 'c', 'd']);
    expect(dependentsOf(3)).toEqual(['d']);
    expect(graph.index.get('c')).toBe(2);
  });
});
