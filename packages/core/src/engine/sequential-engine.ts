import type { RunSession } from './run-session.ts';

/**
 * The sequential engine: one step, and one fan-out item, at a time, in the plan's deterministic
 * topological order. Same session, same semantics (skip rule, retries, timeouts, guards, fail-fast, state
 * writer keys) as the parallel engine, so deterministic agents give byte-identical outputs and state.
 */
export async function runSequential(session: RunSession): Promise<void> {
  for (const rt of session.runtimes) {
    if (session.stopped) return;
    const units = session.open(rt);
    for (const unit of units) {
      // Executing a unit after a stop only records it as not started.
      await session.execute(unit);
      session.close(unit);
    }
  }
}
