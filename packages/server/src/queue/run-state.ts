/**
 * The states of a daemon run, and the transitions between them (in one place, see {@link canTransition}).
 *
 * - `submitted`: accepted and recorded; its directory is being prepared.
 * - `queued`: waiting for a free slot of the pool (priority first, then submission order).
 * - `running`: a slot of the pool is running it.
 * - `succeeded`, `failed`, `cancelled`, `timed_out`: finished, as its run record says.
 * - `dead_letter`: it was running when the daemon died too many times in a row; never claimed again.
 */
export type RunState = 'submitted' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timed_out' | 'dead_letter';

export const RUN_STATES: readonly RunState[] = ['submitted', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out', 'dead_letter'];

/** States a run never leaves (except by being deleted). */
export const FINAL_STATES: ReadonlySet<RunState> = new Set(['succeeded', 'failed', 'cancelled', 'timed_out', 'dead_letter']);

const TRANSITIONS: Readonly<Record<RunState, readonly RunState[]>> = {
  submitted: ['queued', 'failed', 'cancelled'],
  queued: ['running', 'cancelled'],
  // Back to `queued`: a drain or a restart leaves it to resume; `dead_letter`: after repeated crashes.
  running: ['succeeded', 'failed', 'cancelled', 'timed_out', 'queued', 'dead_letter'],
  succeeded: [],
  failed: [],
  cancelled: [],
  timed_out: [],
  dead_letter: [],
};

export function canTransition(from: RunState, to: RunState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isFinalState(state: RunState): boolean {
  return FINAL_STATES.has(state);
}
