import type { ReportBar } from './report-bar.ts';

/**
 * Gives each attempt a slot lane, as the scheduler's slots would have held them: run.json does not record
 * which slot ran what, but any schedule that respected `max_parallel` fits in that many lanes, and greedy
 * interval partitioning (by start, lowest free lane) uses the fewest lanes possible. Written here because it
 * is a dozen lines over our own bar type; no charting library assigns lanes to ranges by itself.
 *
 * An attempt's rate-limit wait and work share its lane (a step holds its slot while it waits on a provider);
 * its queue wait and backoff get the same lane number but hold no slot (the page draws them apart). Sets
 * `lane` on every bar and returns the number of lanes.
 */
export function assignSlotLanes(bars: ReportBar[]): number {
  const attempts = new Map<string, ReportBar[]>();
  for (const bar of bars) {
    const key = `${bar.unit}\u0000${bar.attempt}`;
    const group = attempts.get(key);
    if (group) group.push(bar);
    else attempts.set(key, [bar]);
  }
  const held = [...attempts.values()].map((group) => {
    const busy = group.filter((b) => b.kind === 'work' || b.kind === 'rate-limit');
    return { group, start: Math.min(...busy.map((b) => b.startMs)), end: Math.max(...busy.map((b) => b.endMs)) };
  });
  held.sort((a, b) => a.start - b.start || a.end - b.end);
  // Times in run.json are rounded to the ms: a slot freed and taken again in the same ms must count as free.
  const freeAt: number[] = [];
  for (const h of held) {
    let lane = freeAt.findIndex((t) => t <= h.start + 0.5);
    if (lane === -1) lane = freeAt.push(0) - 1;
    freeAt[lane] = h.end;
    for (const bar of h.group) bar.lane = lane;
  }
  return Math.max(1, freeAt.length);
}
