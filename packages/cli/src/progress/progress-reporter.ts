import { createLogUpdate } from 'log-update';
import type { RunEvent } from '@ucop/core';
import type { OutputStream } from '../cli-io.ts';
import { formatEventLine } from './event-line.ts';
import { formatLiveFrame } from './live-frame.ts';
import { ProgressTracker, unitLabel } from './progress-tracker.ts';
import type { ProgressTrackerOptions } from './progress-tracker.ts';

/** `live`: redrawn frame on a terminal; `plain`: one line per event; `none`: silent (--quiet, --json). */
export type ProgressMode = 'live' | 'plain' | 'none';

/** Live on a terminal, plain lines otherwise; nothing with --quiet or --json (stdout then holds only the JSON). */
export function chooseProgressMode(options: { isTTY: boolean | undefined; quiet?: boolean; json?: boolean }): ProgressMode {
  if (options.quiet || options.json) return 'none';
  return options.isTTY ? 'live' : 'plain';
}

/** Receives run events; `close()` stops any timer and leaves the last frame on screen. */
export interface ProgressReporter {
  onEvent(event: RunEvent): void;
  /** A note shown until `untilMs` (same clock as `now`): a wait for a rate limit, for instance. */
  note(text: string, untilMs: number): void;
  close(): void;
}

export interface ProgressReporterOptions extends ProgressTrackerOptions {
  mode: ProgressMode;
  stream: OutputStream;
  /** Milliseconds on a monotonic clock. @default performance.now */
  now?: () => number;
  /** How often the live frame is redrawn so that elapsed times move. @default 200 */
  refreshMs?: number;
  /**
   * Least time between two frames drawn because of events: a run of thousands of short steps must not
   * spend its time redrawing the terminal. @default 50
   */
  minFrameMs?: number;
}

export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  switch (options.mode) {
    case 'none':
      return { onEvent() {}, note() {}, close() {} };
    case 'plain':
      return plainReporter(options.stream);
    case 'live':
      return liveReporter(options);
  }
}

function plainReporter(stream: OutputStream): ProgressReporter {
  const startedAt = new Map<string, number>();
  return {
    onEvent(event) {
      if (event.type === 'step.started') startedAt.set(unitLabel(event.stepId, event.itemIndex), event.at);
      const line = formatEventLine(event, startedAt);
      if (line !== undefined) stream.write(`${line}\n`);
    },
    note(text) {
      stream.write(`  … ${text}\n`);
    },
    close() {},
  };
}

function liveReporter(options: ProgressReporterOptions): ProgressReporter {
  const now = options.now ?? (() => performance.now());
  const tracker = new ProgressTracker(options);
  // Some terminals (and pseudo-terminals without a size) report 0 columns and rows: log-update would then
  // clip every frame to nothing, so fall back on a standard size.
  const stream = options.stream as OutputStream & { rows?: number };
  const sized = {
    write: (chunk: string) => stream.write(chunk),
    isTTY: stream.isTTY,
    get columns() {
      return stream.columns || 80;
    },
    get rows() {
      return stream.rows || 24;
    },
  };
  const update = createLogUpdate(sized as unknown as NodeJS.WritableStream);
  const minFrameMs = options.minFrameMs ?? 50;
  let runStart = now();
  let lastFrame = Number.NEGATIVE_INFINITY;
  let closed = false;
  let note: { text: string; untilMs: number } | undefined;
  const draw = (): void => {
    if (closed) return;
    lastFrame = now();
    const elapsed = now() - runStart;
    const frame = formatLiveFrame(tracker.snapshot(elapsed), elapsed, { columns: sized.columns });
    if (note && note.untilMs <= lastFrame) note = undefined;
    update(note ? `${frame}\n  … ${note.text}` : frame);
  };
  const timer = setInterval(draw, options.refreshMs ?? 200);
  timer.unref();
  return {
    onEvent(event) {
      if (event.type === 'run.started') runStart = now() - event.at;
      tracker.apply(event);
      if (now() - lastFrame >= minFrameMs) draw();
    },
    note(text, untilMs) {
      note = { text, untilMs };
      if (now() - lastFrame >= minFrameMs) draw();
    },
    close() {
      if (closed) return;
      draw();
      closed = true;
      clearInterval(timer);
      update.done();
    },
  };
}
