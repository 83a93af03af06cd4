import type { ErrorCode } from '../errors/error-codes.ts';

export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'timed_out';
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'timed_out';

export interface StepRef {
  stepId: string;
  itemIndex?: number;
}

export interface EventError {
  code: ErrorCode;
  message: string;
  /** In the run record's `errors[]`: the step that failed with it (absent for the run's own: deadline, guard, outputs). */
  stepId?: string;
  /** In the run record's `errors[]`: the fan-out item that failed with it. */
  itemIndex?: number;
}

/** Times are ms since the run's start. */
export type RunEvent =
  | { type: 'run.started'; runId: string; workflow: string; engine: 'parallel' | 'sequential'; steps: number; at: number }
  | ({ type: 'step.ready' } & StepRef & { at: number })
  | ({ type: 'step.started' } & StepRef & { attempt: number; at: number; queueWaitMs: number })
  | ({ type: 'step.retrying' } & StepRef & { attempt: number; at: number; delayMs: number; error: EventError })
  | ({ type: 'step.expanded' } & StepRef & { items: number; at: number })
  | ({ type: 'step.succeeded' } & StepRef & { attempt: number; at: number; resumed?: boolean })
  | ({ type: 'step.failed' } & StepRef & { attempt: number; at: number; error: EventError; continued: boolean })
  | ({ type: 'step.skipped' } & StepRef & { at: number; reason: string })
  | ({ type: 'step.cancelled' } & StepRef & { at: number; reason: string })
  | { type: 'run.finished'; runId: string; status: RunStatus; at: number; wallMs: number };

export type RunEventListener = (event: RunEvent) => void;

/** The caller's event listener, if any, made unable to change the run by throwing. */
export function guardedListener(listener: RunEventListener | undefined): ((event: RunEvent) => void) | undefined {
  if (!listener) return undefined;
  return (event) => {
    try {
      listener(event);
    } catch {
      // A failing listener (a display, a trace exporter) must not change the run.
    }
  };
}
