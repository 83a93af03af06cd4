import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { BinaryHeap } from './binary-heap.ts';

interface Entry {
  heapIndex: number;
  key: number;
  id: number;
}

describe('BinaryHeap', () => {
  it('pops in key order after any mix of pushes and removals', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 200 }), fc.array(fc.nat(), { maxLength: 50 }), (keys, removals) => {
        const heap = new BinaryHeap<Entry>((a, b) => a.key - b.key || a.id - b.id);
        const entries = keys.map((key, id) => ({ heapIndex: -1, key, id }));
        for (const e of entries) heap.push(e);
        const removed = new Set<Entry>();
        for (const r of removals) {
          const e = entries[r % Math.max(1, entries.length)];
          if (e && !removed.has(e)) {
            expect(heap.remove(e)).toBe(true);
            removed.add(e);
          }
        }
        const expected = entries.filter((e) => !removed.has(e)).sort((a, b) => a.key - b.key || a.id - b.id);
        const out: Entry[] = [];
        for (let e = heap.pop(); e; e = heap.pop()) out.push(e);
        expect(out).toEqual(expected);
        expect(out.every((e) => e.heapIndex === -1)).toBe(true);
      }),
    );
  });

  it('does not remove an entry that is not in it', () => {
    const heap = new BinaryHeap<Entry>((a, b) => a.key - b.key);
    const other = new BinaryHeap<Entry>((a, b) => a.key - b.key);
    const e = { heapIndex: -1, key: 1, id: 1 };
    other.push({ heapIndex: -1, key: 0, id: 0 });
    other.push(e);
    expect(heap.remove(e)).toBe(false);
    expect(other.size).toBe(2);
  });
});
