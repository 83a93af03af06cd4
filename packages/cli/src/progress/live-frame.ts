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

/** `[#########---------------]  38%` */
export function formatProgressBar(fraction: number, width = 24): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(clamped * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(clamped * 100)).padStart(3)}%`;
}

/** `done 3  running 2  failed 0  skipped 1  of 9` */
export function formatCounts(snapshot: ProgressSnapshot): string {
  return `done ${snapshot.done}  running ${snapshot.running.length}  failed ${snapshot.failed}  skipped ${snapshot.skipped}  of ${snapshot.totalSteps}`;
}

/** `elapsed 4.2s  ETA 3.1s` (`ETA -` while nothing can be estimated). */
export function formatTiming(snapshot: ProgressSnapshot, elapsedMs: number): string {
  const remaining = estimateRemainingMs(snapshot, elapsedMs);
  return `elapsed ${formatDuration(elapsedMs)}  ETA ${remaining === undefined ? '-' : formatDuration(remaining)}`;
}

/**
 * The live display's whole frame: a header with the progress bar, the counts and timing, then one line per
 * running step with how long it has been running.
 */
export function formatLiveFrame(snapshot: ProgressSnapshot, elapsedMs: number, options: LiveFrameOptions = {}): string {
  const columns = options.columns ?? 80;
  const maxRunning = options.maxRunningLines ?? 8;
  const lines = [
    `${snapshot.workflow} ${formatProgressBar(snapshot.fraction, options.barWidth)}`,
    `${formatCounts(snapshot)}  ${formatTiming(snapshot, elapsedMs)}`,
  ];
  const shown = snapshot.running.slice(0, maxRunning);
  const labelWidth = Math.max(0, ...shown.map((u) => unitLabel(u.stepId, u.itemIndex).length));
  for (const unit of shown) {
    const attempt = unit.attempt > 1 ? `  (attempt ${unit.attempt})` : '';
    lines.push(`  > ${unitLabel(unit.stepId, unit.itemIndex).padEnd(labelWidth)}  ${formatDuration(Math.max(0, elapsedMs - unit.startedAt))}${attempt}`);
  }
  const hidden = snapshot.running.length - shown.length;
  if (hidden > 0) lines.push(`  ... +${hidden} more running`);
  return lines.map((line) => fit(line, columns)).join('\n');
}

function fit(line: string, columns: number): string {
  if (columns <= 1 || line.length < columns) return line;
  return `${line.slice(0, columns - 2)}…`;
}
