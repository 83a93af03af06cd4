/** Something a {@link BinaryHeap} can hold: the heap keeps the entry's position so that removal is O(log n). */
export interface HeapEntry {
  /** Position in the heap; -1 when the entry is in no heap. Owned by the heap. */
  heapIndex: number;
}

/**
 * A binary min-heap ordered by `compare` (negative: `a` comes out first). Entries know their own position,
 * so `remove` does not scan. An entry may sit in at most one heap at a time.
 *
 * Hand-written rather than a package, on measurement (issue 15). The deadline queue cancels one entry per
 * finished attempt, so it needs removal of an arbitrary entry in O(log n); among the maintained packages,
 * `heap-js`'s `remove` scans the array (O(n)), `@datastructures-js/priority-queue`'s `remove` filters and
 * rebuilds, and `tinyqueue`/`flatqueue` have no removal. Measured on the 2-core test machine (loaded; medians
 * of interleaved runs, the ratio is what matters): `heap-js` 2.7.2 for the ready queue, 10,000 units pushed
 * and popped with the critical-path order, took 1.27-1.46 where this heap took 0.96-1.20 (same unit); for
 * the deadline queue, 20,000 add+cancel at random with 1,000 pending, `heap-js`'s `remove` cost 0.42 µs per
 * operation against 0.09 (10,000 pending: 4.7 against 1.1), and `heap-js` with lazy cancellation (mark, skip
 * at the top, compact at half dead) 0.17-0.61 against 0.12-0.24. The engine's per-step overhead
 * (`ucop bench`, no-op steps) did not move measurably either way under that load; the library was slower on
 * every micro measure of the hot path, so this one stays.
 */
export class BinaryHeap<T extends HeapEntry> {
  readonly #items: T[] = [];
  readonly #compare: (a: T, b: T) => number;

  constructor(compare: (a: T, b: T) => number) {
    this.#compare = compare;
  }

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(entry: T): void {
    entry.heapIndex = this.#items.length;
    this.#items.push(entry);
    this.#up(entry.heapIndex);
  }

  pop(): T | undefined {
    const top = this.#items[0];
    if (top === undefined) return undefined;
    this.#removeAt(0);
    return top;
  }

  /** Removes `entry` if it is in this heap; returns whether it was. */
  remove(entry: T): boolean {
    const i = entry.heapIndex;
    if (i < 0 || this.#items[i] !== entry) return false;
    this.#removeAt(i);
    return true;
  }

  #removeAt(i: number): void {
    const items = this.#items;
    const removed = items[i]!;
    const last = items.pop()!;
    removed.heapIndex = -1;
    if (last === removed) return;
    items[i] = last;
    last.heapIndex = i;
    this.#up(i);
    this.#down(last.heapIndex);
  }

  #up(i: number): void {
    const items = this.#items;
    const entry = items[i]!;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = items[parentIndex]!;
      if (this.#compare(entry, parent) >= 0) break;
      items[i] = parent;
      parent.heapIndex = i;
      i = parentIndex;
    }
    items[i] = entry;
    entry.heapIndex = i;
  }

  #down(i: number): void {
    const items = this.#items;
    const n = items.length;
    const entry = items[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.#compare(items[right]!, items[left]!) < 0 ? right : left;
      const childEntry = items[child]!;
      if (this.#compare(childEntry, entry) >= 0) break;
      items[i] = childEntry;
      childEntry.heapIndex = i;
      i = child;
    }
    items[i] = entry;
    entry.heapIndex = i;
  }
}
