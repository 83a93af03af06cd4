import type { ProviderStrategyName } from '@ucop/core';

/**
 * The order in which one call tries a stage's providers:
 * - `round_robin`: each call starts at the next provider of the list (the others follow as fallbacks), so
 *   N calls spread evenly;
 * - `fallback`: always the list's order;
 * - `least_loaded`: fewest calls of this stage in flight first (ties in round-robin order).
 * Providers that cannot take a call now (an open circuit) go to the end rather than away: if every one is
 * open, the call still tries, and fails with the circuit's own error.
 */
export class ProviderRotation {
  readonly use: readonly string[];
  readonly strategy: ProviderStrategyName;
  #next = 0;

  constructor(use: readonly string[], strategy: ProviderStrategyName) {
    this.use = use;
    this.strategy = strategy;
  }

  order(available: (provider: string) => boolean, load: (provider: string) => number): string[] {
    let order: string[];
    if (this.strategy === 'fallback') {
      order = [...this.use];
    } else {
      const start = this.#next;
      order = this.use.map((_, i) => this.use[(start + i) % this.use.length]!);
      if (this.strategy === 'least_loaded') order = order.map((name, i) => ({ name, i, load: load(name) })).sort((a, b) => a.load - b.load || a.i - b.i).map((e) => e.name);
    }
    const ready = order.filter(available);
    // Round robin moves on from the provider that actually gets the call, so a skipped (open) provider's turn
    // goes to the next one instead of doubling up on it later.
    if (this.strategy === 'round_robin' && ready.length > 0) this.#next = (this.use.indexOf(ready[0]!) + 1) % this.use.length;
    return [...ready, ...order.filter((name) => !available(name))];
  }
}
