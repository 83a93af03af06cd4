import { stepGraphOf, type StepGraph } from '../dsl/step-graph.ts';
import { UcopError } from '../errors/ucop-error.ts';

/**
 * A deterministic topological order: among the steps whose dependencies are all placed, the one that comes
 * first in the file goes next (Kahn's algorithm with a min-heap on file position). This is the order of the
 * sequential engine, so it must not depend on anything but the file.
 * @throws UcopError DAG_CYCLE when some steps can never be placed.
 */
export function topologicalOrder(fileOrder: readonly string[], dependencies: ReadonlyMap<string, readonly string[]>): string[] {
  const graph = stepGraphOf(fileOrder, dependencies);
  return Array.from(topologicalOrderOf(graph), (i) => fileOrder[i]!);
}

/** {@link topologicalOrder} over a step graph's index arrays: the file positions in order. */
export function topologicalOrderOf(graph: StepGraph): Int32Array {
  const n = graph.ids.length;
  const missing = new Int32Array(n);
  for (let i = 0; i < n; i += 1) missing[i] = graph.depStart[i + 1]! - graph.depStart[i]!;
  const heap = new MinHeap();
  for (let i = 0; i < n; i++) if (missing[i] === 0) heap.push(i);
  const order = new Int32Array(n);
  let placed = 0;
  while (heap.size > 0) {
    const i = heap.pop();
    order[placed++] = i;
    for (let k = graph.dependentStart[i]!; k < graph.dependentStart[i + 1]!; k += 1) {
      const d = graph.dependents[k]!;
      if (--missing[d]! === 0) heap.push(d);
    }
  }
  if (placed !== n) {
    const stuck = graph.ids.filter((_, i) => missing[i]! > 0);
    throw new UcopError('DAG_CYCLE', `the steps ${stuck.map((s) => `\`${s}\``).join(', ')} depend on each other in a cycle`, { fields: { steps: stuck } });
  }
  return order;
}

/** A binary min-heap of small integers (file positions). */
class MinHeap {
  readonly #items: number[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(value: number): void {
    const items = this.#items;
    items.push(value);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= value) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.#items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && items[right]! < items[left]! ? right : left;
        if (items[child]! >= last) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
