// Limits that hold across runs and processes: the store contract, its node:sqlite implementation and the
// limiter that waits on a store.
export type { SharedLimitStore, SharedLimitSpec, SharedWindowSpec, SharedLimitCost, SharedLimitLease, SharedAcquireResult, SharedBreakerState } from './shared-limit-store.ts';
export { openSqliteLimitStore } from './sqlite-limit-store.ts';
export type { SqliteLimitStoreOptions } from './sqlite-limit-store.ts';
export { SharedLimiter } from './shared-limiter.ts';
export type { SharedLimiterOptions, SharedLimitPermit, LimitWait } from './shared-limiter.ts';
export { lazyLimitStore } from './lazy-limit-store.ts';
export { windowVerdict } from './window-usage.ts';
export type { LoggedRequest } from './window-usage.ts';
export { epochClock } from './epoch-clock.ts';
