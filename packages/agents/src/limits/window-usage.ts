import type { SharedLimitSpec } from './shared-limit-store.ts';

/** One request as a limit store keeps it. */
export interface LoggedRequest {
  tokens: number;
  /** When it stopped being in flight (answered, failed, or its lease expired); undefined while in flight. */
  endedMs: number | undefined;
  /** When its lease expires, while in flight. */
  leaseUntilMs: number;
}

// How soon to look again when a concurrency bound is full: a lease released elsewhere (perhaps in another
// process) is not signalled, and the soonest expiry is a whole lease TTL away.
export const IN_FLIGHT_RECHECK_MS = 25;

/**
 * Whether one more request of `tokens` fits `spec` now, given the key's logged requests; undefined when it
 * does, else when to ask again and which limit is full. Same counting rule as the in-process
 * sliding-window log (providers/sliding-window-log.ts): a request counts while in flight and for one window
 * after it ended. Fail-fast windows (daily budgets) are checked first, so that a full budget fails rather
 * than waits behind a full minute window.
 */
export function windowVerdict(spec: SharedLimitSpec, requests: readonly LoggedRequest[], tokens: number, nowMs: number): { retryAtMs: number; limit: string; failWhenFull: boolean } | undefined {
  const windows = [...spec.windows].sort((a, b) => Number(b.failWhenFull ?? false) - Number(a.failWhenFull ?? false));
  for (const window of windows) {
    const amountOf = (r: { tokens: number }): number => (window.measure === 'requests' ? 1 : r.tokens);
    const amount = amountOf({ tokens });
    let used = 0;
    const ended: { at: number; amount: number }[] = [];
    for (const r of requests) {
      if (r.endedMs === undefined) used += amountOf(r);
      else if (r.endedMs + window.windowMs > nowMs) {
        used += amountOf(r);
        ended.push({ at: r.endedMs, amount: amountOf(r) });
      }
    }
    const excess = used + amount - window.limit;
    if (excess <= 0) continue;
    ended.sort((a, b) => a.at - b.at);
    let freed = 0;
    // Held by requests still in flight: each counts for a window after it ends, and it ends now at the
    // earliest, so nothing frees before a window from now (a request cancelled unsent is the one exception,
    // rare enough not to poll for).
    let retryAtMs = nowMs + window.windowMs;
    for (const entry of ended) {
      freed += entry.amount;
      if (freed >= excess) {
        retryAtMs = entry.at + window.windowMs;
        break;
      }
    }
    return { retryAtMs, limit: window.name, failWhenFull: window.failWhenFull ?? false };
  }
  if (spec.concurrency !== undefined) {
    const inFlight = requests.filter((r) => r.endedMs === undefined);
    if (inFlight.length >= spec.concurrency) {
      const soonestExpiry = Math.min(...inFlight.map((r) => r.leaseUntilMs));
      return { retryAtMs: Math.min(soonestExpiry, nowMs + IN_FLIGHT_RECHECK_MS), limit: 'concurrency', failWhenFull: false };
    }
  }
  return undefined;
}
