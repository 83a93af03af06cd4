/**
 * Identifies who contributed a state write, so that contributions can be folded in an order that does not
 * depend on when attempts happened to finish. Both engines give every step the same key, which is why the
 * parallel and the sequential engine end with byte-identical state.
 */
export interface WriterKey {
  stepId: string;
  /** The step's position in the plan's topological order. */
  order: number;
  /** The fan-out item's index; 0 when the step has no `for_each`. */
  itemIndex: number;
  /**
   * Inside a group instance: the position path (instance, iteration, inner order, ...) that orders the
   * writers of one top-level group; `order` is then the top-level group's.
   */
  position?: readonly number[];
}

/** Orders writers by plan order, then item index, then step id (a tie-break for hand-built keys). */
export function compareWriterKeys(a: WriterKey, b: WriterKey): number {
  if (a.order !== b.order) return a.order - b.order;
  if (a.position !== b.position) {
    const p = a.position ?? [];
    const q = b.position ?? [];
    for (let i = 0; i < Math.min(p.length, q.length); i += 1) if (p[i] !== q[i]) return p[i]! - q[i]!;
    if (p.length !== q.length) return p.length - q.length;
  }
  if (a.itemIndex !== b.itemIndex) return a.itemIndex - b.itemIndex;
  return a.stepId < b.stepId ? -1 : a.stepId > b.stepId ? 1 : 0;
}
