/**
 * Measurements over a server's request log: what a provider would see. Used by the rate-limit tests to check
 * the limiter against the server's clock, not the client's.
 */
export interface TimedRequest {
  arrivalMs: number;
  endMs: number | undefined;
}

/** The most arrivals in any half-open interval `[t, t + windowMs)`. */
export function maxArrivalsInWindow(requests: readonly TimedRequest[], windowMs: number): number {
  const arrivals = requests.map((r) => r.arrivalMs).sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < arrivals.length; hi++) {
    while (arrivals[lo]! <= arrivals[hi]! - windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** The shortest time between an arrival and the `limit`-th arrival after it (Infinity when too few). */
export function minSpanOfArrivals(requests: readonly TimedRequest[], limit: number): number {
  const arrivals = requests.map((r) => r.arrivalMs).sort((a, b) => a - b);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i + limit < arrivals.length; i++) best = Math.min(best, arrivals[i + limit]! - arrivals[i]!);
  return best;
}

/**
 * The most requests open at the same instant. A request is open from its arrival to its end; one that ends
 * exactly when another arrives does not overlap it. Requests that never ended count as open to the end.
 */
export function maxConcurrency(requests: readonly TimedRequest[]): number {
  // Ends sort before arrivals at the same instant: [t, end) intervals.
  const events = requests.flatMap((r) => [
    { at: r.arrivalMs, delta: 1 },
    { at: r.endMs ?? Number.POSITIVE_INFINITY, delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let best = 0;
  for (const event of events) {
    open += event.delta;
    best = Math.max(best, open);
  }
  return best;
}
