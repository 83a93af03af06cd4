import type { RunEvent } from '@ucop/core';
import { formatDuration } from '../duration-format.ts';
import { unitLabel } from './progress-tracker.ts';

/**
 * One plain log line per run event, for logs and pipes (no cursor movement). `step.ready` returns undefined:
 * it is bookkeeping, and `started` follows it.
 *
 * `startedAt` maps a unit to its start time so that finished lines show how long the step took.
 */
export function formatEventLine(event: RunEvent, startedAt?: ReadonlyMap<string, number>): string | undefined {
  const time = `[${(event.at / 1000).toFixed(2).padStart(7)}s]`;
  switch (event.type) {
    case 'run.started':
      return `${time} run ${event.runId} started: ${event.workflow} (${event.engine}, ${event.steps} steps)`;
    case 'run.finished':
      return `${time} run ${event.status} in ${formatDuration(event.wallMs)}`;
    case 'step.ready':
      return undefined;
    case 'step.started': {
      const attempt = event.attempt > 1 ? ` (attempt ${event.attempt})` : '';
      const wait = event.queueWaitMs >= 10 ? `, waited ${formatDuration(event.queueWaitMs)}` : '';
      return `${time} ${unitLabel(event.stepId, event.itemIndex)} started${attempt}${wait}`;
    }
    case 'step.expanded':
      return `${time} ${event.stepId} fans out into ${event.items} item${event.items === 1 ? '' : 's'}`;
    case 'step.retrying':
      return `${time} ${unitLabel(event.stepId, event.itemIndex)} attempt ${event.attempt} failed (${event.error.code} ${event.error.message}); retrying in ${formatDuration(event.delayMs)}`;
    case 'step.succeeded': {
      if (event.resumed) return `${time} ${unitLabel(event.stepId, event.itemIndex)} resumed from the previous run`;
      return `${time} ${unitLabel(event.stepId, event.itemIndex)} succeeded${took(event, startedAt)}`;
    }
    case 'step.failed': {
      const continued = event.continued ? ' (continue_on_error: the run goes on)' : '';
      return `${time} ${unitLabel(event.stepId, event.itemIndex)} failed${took(event, startedAt)}: ${event.error.code} ${event.error.message}${continued}`;
    }
    case 'step.skipped':
      return `${time} ${unitLabel(event.stepId, event.itemIndex)} skipped: ${event.reason}`;
    case 'step.cancelled':
      return `${time} ${unitLabel(event.stepId, event.itemIndex)} cancelled: ${event.reason}`;
  }
}

function took(event: { stepId: string; itemIndex?: number; at: number }, startedAt: ReadonlyMap<string, number> | undefined): string {
  const start = startedAt?.get(unitLabel(event.stepId, event.itemIndex));
  return start === undefined ? '' : ` in ${formatDuration(event.at - start)}`;
}
