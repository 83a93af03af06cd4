import { systemClock } from '@ucop/core';
import type { Clock } from '@ucop/core';

let last = 0;

/**
 * The clock of shared limits: the machine's wall clock in ms (`Date.now()`), the one time every process
 * reads alike — the system clock's `performance.now()` starts at each process's start, and
 * `timeOrigin + now()` differs between processes by the error of each one's origin (milliseconds, enough to
 * let one request too many into a window). Kept monotonic within the process (never earlier than the last
 * reading). Sleeps are the system clock's.
 */
export const epochClock: Clock = {
  now: () => {
    last = Math.max(last, Date.now());
    return last;
  },
  sleep: (ms, signal) => systemClock.sleep(ms, signal),
};
