/** What a bar of the timeline stands for: an attempt's work, or one of the three kinds of waiting. */
export type BarKind = 'work' | 'queue' | 'rate-limit' | 'backoff';

/** One bar of the report's timeline. Times are ms from the run's start. */
export interface ReportBar {
  /** `step`, or `step[index]` for a fan-out item. */
  unit: string;
  stepId: string;
  itemIndex?: number;
  kind: BarKind;
  /** The attempt this bar belongs to (1-based). */
  attempt: number;
  /** Work bars: how the attempt ended (`running` in a partial record). Wait bars: `waiting`. */
  status: string;
  startMs: number;
  endMs: number;
  /** On the critical path (work bars only). */
  critical: boolean;
  /** Slot lane (0-based) the unit held while working; waits are drawn in the lane of the work they precede or follow. */
  lane: number;
  error?: { code: string; message: string };
}
