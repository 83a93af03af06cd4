/**
 * Human-readable durations for terminal output: `250ms`, `4.2s`, `2m 05s`, `1h 02m`. Values are rounded,
 * never shown with more precision than a person can use.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return `${totalMinutes}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(totalMinutes / 60)}h ${String(totalMinutes % 60).padStart(2, '0')}m`;
}

/** A speedup factor such as `3.42x`. */
export function formatSpeedup(factor: number): string {
  return Number.isFinite(factor) ? `${factor.toFixed(2)}x` : '-';
}
