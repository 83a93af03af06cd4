import { formatDuration } from '../duration-format.ts';
import { estimateRemainingMs, unitLabel } from './progress-tracker.ts';
import type { ProgressSnapshot } from './progress-tracker.ts';

export interface LiveFrameOptions {
  /** Terminal width; lines are cut to fit so that the frame never wraps. @default 80 */
  columns?: number;
  /** Most running steps listed; the rest are summarised as "+N more". @default 8 */
  maxRunningLines?: number;
  /** Width of the progress bar in characters. @default 24 */
  barWidth?: number;
}

/**
 * `[████████░░░░]  60.0%`. Drawn here rather than with a progress-bar library: the frame is several lines
 * redrawn by log-update (which the CLI already uses), and a bar library would want to own the terminal.
 */
export function formatProgressBar(fraction: number, width = 24): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(clamped * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(Math.floor(clamped * 1000) / 10).toFixed(1).padStart(5)}%`;
}

/** `00:01:23`: the clock form the live display uses for elapsed time and ETA. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

/** `✓ 3 | ⟳ 2 | ✗ 0`: units (steps and fan-out items) succeeded, running, failed; then steps skipped, if any. */
export function formatCounts(snapshot: ProgressSnapshot): string {
  const skipped = snapshot.skipped > 0 ? ` | skipped ${snapshot.skipped}` : '';
  return `✓ ${snapshot.units.succeeded} | ⟳ ${snapshot.units.running} | ✗ ${snapshot.units.failed}${skipped}`;
}

/** The remaining time: the ETA model's when there is one, else extrapolated from the bar; `-` once it ended. */
export function remainingMs(snapshot: ProgressSnapshot, elapsedMs: number): number | undefined {
  if (snapshot.finished) return snapshot.status === undefined || snapshot.status === 'succeeded' ? 0 : undefined;
  return snapshot.eta ? snapshot.eta.remainingMs : estimateRemainingMs(snapshot, elapsedMs);
}

/** `Elapsed: 00:00:04 | ETA: 00:00:03` (`ETA: -` while nothing can be estimated, or after a stop). */
export function formatTiming(snapshot: ProgressSnapshot, elapsedMs: number): string {
  const remaining = remainingMs(snapshot, elapsedMs);
  return `Elapsed: ${formatClock(elapsedMs)} | ETA: ${remaining === undefined ? '-' : formatClock(remaining)}`;
}

/** The second line: fan-outs under way (`section 3/5`), and what the run is waiting on, for how long. */
function formatDetail(snapshot: ProgressSnapshot, elapsedMs: number): string | undefined {
  const parts = snapshot.fanOuts.map((f) => `${f.stepId} ${f.finished}/${f.total}`);
  if (!snapshot.finished && snapshot.queued > 0) {
    const since = snapshot.queuedSince === undefined ? '' : ` for ${formatDuration(Math.max(0, elapsedMs - snapshot.queuedSince))}`;
    const on = snapshot.waitingOnGroup !== undefined ? `the ${snapshot.waitingOnGroup} concurrency limit` : 'a free slot';
    parts.push(`${snapshot.queued} waiting on ${on}${since}`);
  }
  return parts.length > 0 ? `  ${parts.join(' | ')}` : undefined;
}

/**
 * The live display's whole frame: the bar with the counts and timing, a line of fan-out progress and waits,
 * then one line per running step with how long it has been running. After a stop the header says how the
 * run ended, and the bar keeps the share it reached.
 */
export function formatLiveFrame(snapshot: ProgressSnapshot, elapsedMs: number, options: LiveFrameOptions = {}): string {
  const columns = options.columns ?? 80;
  const maxRunning = options.maxRunningLines ?? 8;
  const ended = snapshot.finished && snapshot.status !== undefined && snapshot.status !== 'succeeded' ? ` ${snapshot.status.replace('_', ' ')}` : '';
  const lines = [`${snapshot.workflow}${ended} ${formatProgressBar(snapshot.fraction, options.barWidth)} | ${formatCounts(snapshot)} | ${formatTiming(snapshot, elapsedMs)}`];
  const detail = formatDetail(snapshot, elapsedMs);
  if (detail) lines.push(detail);
  const shown = snapshot.running.slice(0, maxRunning);
  const labelWidth = Math.max(0, ...shown.map((u) => unitLabel(u.stepId, u.itemIndex).length));
  for (const unit of shown) {
    const attempt = unit.attempt > 1 ? `  (attempt ${unit.attempt})` : '';
    lines.push(`  ⟳ ${unitLabel(unit.stepId, unit.itemIndex).padEnd(labelWidth)}  ${formatDuration(Math.max(0, elapsedMs - unit.startedAt))}${attempt}`);
  }
  const hidden = snapshot.running.length - shown.length;
  if (hidden > 0) lines.push(`  ... +${hidden} more running`);
  return lines.map((line) => fit(line, columns)).join('\n');
}

function fit(line: string, columns: number): string {
  if (columns <= 1 || line.length < columns) return line;
  return `${line.slice(0, columns - 2)}…`;
}
