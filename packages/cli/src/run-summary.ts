import type { RunMetrics, RunRecord, RunStatus, StepFilesSummary, StepRecord } from '@ucop/core';
import { formatDuration, formatSpeedup } from './duration-format.ts';
import { formatFallbacks } from './provider-fallbacks.ts';
import type { ProviderFallback } from './provider-fallbacks.ts';

/** Step counts by outcome; fan-out items are counted inside their step. */
export interface StepCounts {
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  timedOut: number;
  /** Steps whose result was taken from an earlier run (`--resume`); a fan-out step when all its items were. */
  resumed: number;
  /** Fan-out items executed or resumed. */
  items: number;
  /** Fan-out items whose result was taken from an earlier run (counted apart from the steps). */
  resumedItems: number;
}

/** Provider usage of a run, as printed at the end and put in `--json` output. */
export interface UsageSummary {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Who answered, with their share. */
  byProvider: Record<string, { calls: number; inputTokens: number; outputTokens: number; costUsd: number }>;
  /** True when every call was answered by the offline writer (or no model was called at all). */
  offline: boolean;
}

/** The `--json` document of `ucop run` and `ucop generate`: the run record's summary, not its every step. */
export interface RunSummary {
  runId: string;
  workflow: string;
  status: RunStatus;
  engine: 'parallel' | 'sequential';
  wallMs: number;
  maxParallel: number;
  outDir: string;
  /** Where run.json is; null when it could not be written (the errors say why). */
  record: string | null;
  outputs: Record<string, unknown>;
  steps: StepCounts;
  metrics: RunMetrics;
  errors: RunError[];
  usage?: UsageSummary;
  /** Text-model calls a provider did not answer and passed to its fallback; absent when there were none. */
  fallbacks?: ProviderFallback[];
  /** Which `steps/` files the run wrote (run.json's `stepFiles`); absent without a run store. */
  stepFiles?: StepFilesSummary;
}

/** An error of the run record, with the step or fan-out item it came from when one failed with it. */
export type RunError = RunRecord['errors'][number] & {
  /** `id`, or `id[index]` for a fan-out item. */
  step?: string;
};

/** The offline writer's provider name in usage records. */
export const OFFLINE_PROVIDER = 'offline';

export function countSteps(steps: readonly StepRecord[]): StepCounts {
  const counts: StepCounts = { total: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0, timedOut: 0, resumed: 0, items: 0, resumedItems: 0 };
  // A fan-out step's own record is not marked resumed; it was when every one of its items was.
  const items = new Map<string, { total: number; resumed: number }>();
  for (const step of steps) {
    if (step.itemIndex === undefined) continue;
    const entry = items.get(step.id) ?? { total: 0, resumed: 0 };
    entry.total += 1;
    if (step.resumed) entry.resumed += 1;
    items.set(step.id, entry);
  }
  for (const step of steps) {
    if (step.itemIndex !== undefined) {
      counts.items += 1;
      if (step.resumed) counts.resumedItems += 1;
      continue;
    }
    counts.total += 1;
    const fanOut = items.get(step.id);
    if (step.resumed || (fanOut !== undefined && fanOut.total > 0 && fanOut.resumed === fanOut.total)) counts.resumed += 1;
    switch (step.status) {
      case 'succeeded':
        counts.succeeded += 1;
        break;
      case 'failed':
        counts.failed += 1;
        break;
      case 'skipped':
        counts.skipped += 1;
        break;
      case 'cancelled':
        counts.cancelled += 1;
        break;
      case 'timed_out':
        counts.timedOut += 1;
        break;
      default:
        break;
    }
  }
  return counts;
}

export function summarizeUsage(record: RunRecord): UsageSummary | undefined {
  const usage = record.usage;
  if (!usage) return undefined;
  const providers = Object.keys(usage.byProvider);
  return {
    calls: usage.calls,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costUsd: usage.costUsd,
    byProvider: usage.byProvider,
    offline: providers.every((name) => name === OFFLINE_PROVIDER),
  };
}

/** The record's errors, each with the step or fan-out item it came from (`id` or `id[index]`) when one did. */
export function attributeErrors(record: Pick<RunRecord, 'errors'>): RunError[] {
  return record.errors.map((error) => {
    if (error.stepId === undefined) return { ...error };
    return { ...error, step: error.itemIndex === undefined ? error.stepId : `${error.stepId}[${error.itemIndex}]` };
  });
}

export function summarizeRun(record: RunRecord, outDir: string, recordPath: string | null): RunSummary {
  const usage = summarizeUsage(record);
  return {
    runId: record.runId,
    workflow: record.workflow,
    status: record.status,
    engine: record.engine,
    wallMs: record.wallMs,
    maxParallel: record.maxParallel,
    outDir,
    record: recordPath,
    outputs: record.outputs,
    steps: countSteps(record.steps),
    metrics: record.metrics,
    errors: attributeErrors(record),
    ...(usage ? { usage } : {}),
    ...(record.stepFiles ? { stepFiles: record.stepFiles } : {}),
  };
}

/** The human-readable end of a run: status, steps, timing and speedup, outputs, errors, where the record is. */
export function formatRunSummary(summary: RunSummary): string {
  const { steps } = summary;
  const lines: string[] = [];
  lines.push(`Run ${summary.runId} ${summary.status} in ${formatDuration(summary.wallMs)} (${summary.engine} engine, max_parallel ${summary.maxParallel})`);
  const parts = [`${steps.succeeded} succeeded`, `${steps.failed} failed`, `${steps.skipped} skipped`];
  if (steps.cancelled > 0) parts.push(`${steps.cancelled} cancelled`);
  if (steps.timedOut > 0) parts.push(`${steps.timedOut} timed out`);
  const extras: string[] = [];
  if (steps.items > 0) extras.push(`${steps.items} fan-out item${steps.items === 1 ? '' : 's'}`);
  const resumed = formatResumed(steps);
  if (resumed) extras.push(resumed);
  lines.push(`  steps:   ${parts.join(', ')} of ${steps.total}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`);
  lines.push(...formatTimeLines(summary));
  const outputs = Object.entries(summary.outputs);
  if (outputs.length > 0) {
    lines.push('  outputs:');
    for (const [key, value] of outputs) lines.push(`    ${key}: ${formatOutput(value)}`);
  }
  if (summary.errors.length > 0) {
    lines.push('  errors:');
    for (const error of summary.errors) lines.push(`    ${formatRunError(error)}`);
  }
  if (summary.fallbacks && summary.fallbacks.length > 0) {
    lines.push('  provider fallbacks:');
    lines.push(...formatFallbacks(summary.fallbacks).map((line) => `  ${line}`));
  }
  lines.push(summary.record === null ? '  record:  not written (see the errors above)' : `  record:  ${summary.record}`);
  const files = summary.stepFiles;
  if (files && files.skipped > 0) {
    const why = files.mode === 'none' ? '--step-files none' : `more than ${files.threshold} units, --step-files auto`;
    lines.push(`  files:   ${files.skipped} step file${files.skipped === 1 ? '' : 's'} not written (${why}); read them with \`ucop outputs ${summary.outDir}\`, or write them with --write`);
  }
  return `${lines.join('\n')}\n`;
}

/** `1 step and 5 items resumed from the previous run`: steps and fan-out items counted apart. */
function formatResumed(steps: StepCounts): string | undefined {
  const parts: string[] = [];
  if (steps.resumed > 0) parts.push(`${steps.resumed} step${steps.resumed === 1 ? '' : 's'}`);
  if (steps.resumedItems > 0) parts.push(`${steps.resumedItems} item${steps.resumedItems === 1 ? '' : 's'}`);
  return parts.length > 0 ? `${parts.join(' and ')} resumed from the previous run` : undefined;
}

/**
 * The time lines: work apart from waiting (queue, rate limits and backoff are not work), then the speedup,
 * said against what it is measured (the same work run one step after another with no waiting) and printed
 * only for a run that succeeded: a failed or cut-short run did not do the workflow's work.
 */
export function formatTimeLines(summary: Pick<RunSummary, 'status' | 'wallMs' | 'metrics'>): string[] {
  const { metrics } = summary;
  const lines: string[] = [];
  const waits = metrics.waits;
  const waiting = waits
    ? `; waiting (summed over steps, not work): ${formatDuration(waits.queueMs)} queued for a slot, ${formatDuration(waits.rateLimitMs)} on rate limits, ${formatDuration(waits.backoffMs)} in retry backoff`
    : '';
  lines.push(`  time:    ${formatDuration(summary.wallMs)} wall, ${formatDuration(metrics.sumStepMs)} of work${waiting}`);
  if (metrics.sumStepMs <= 0) {
    lines.push('  speedup: - (no step ran in this run)');
  } else if (summary.status !== 'succeeded') {
    lines.push(`  speedup: - (the run ${summary.status.replace('_', ' ')}: a speedup of unfinished work would mislead)`);
  } else {
    lines.push(
      `  speedup: ${formatSpeedup(metrics.speedup)} (work ÷ wall time, against running the same work one step after another with no waiting); ` +
        `${Math.round(metrics.efficiency * 100)}% of the achievable (lower bound ${formatDuration(metrics.lowerBoundMs)})`,
    );
  }
  return lines;
}

/** `step: CODE message`, or `CODE message` when no step failed with it. */
export function formatRunError(error: RunError): string {
  return `${error.step === undefined ? '' : `${error.step}: `}${error.code} ${error.message}`;
}

/** An output value as text; one whose step did not run (a failed or skipped run) has none. */
function formatOutput(value: unknown): string {
  if (value === undefined) return '- (not produced: the steps it reads did not run)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Provider usage lines: calls, tokens, cost, who answered, and a clear word when it was all offline. With
 * `fallbacks`, the offline text is explained by the providers that did not answer rather than by a missing
 * configuration. `notices: false` (`-q`) leaves out the offline notice and its advice; `answered by` still says it.
 */
export function formatUsage(usage: UsageSummary | undefined, fallbacks: readonly ProviderFallback[] = [], options: { notices?: boolean } = {}): string {
  if (!usage || usage.calls === 0) return 'Provider usage: no model calls in this run.\n';
  const who = Object.entries(usage.byProvider)
    .map(([name, u]) => `${name} ${u.calls} call${u.calls === 1 ? '' : 's'}`)
    .join(', ');
  const lines = [
    `Provider usage: ${usage.calls} call${usage.calls === 1 ? '' : 's'}, ${usage.inputTokens} input + ${usage.outputTokens} output tokens, $${usage.costUsd.toFixed(4)}`,
    `  answered by: ${who}`,
  ];
  if (usage.offline && options.notices !== false) {
    lines.push('  Written OFFLINE: no model answered; the text was assembled by the offline extractive writer from the sources.');
    if (fallbacks.length === 0) lines.push('  Configure a provider in config/providers.yaml (and its API key) for model-written text.');
  }
  lines.push(...formatFallbacks(fallbacks));
  return `${lines.join('\n')}\n`;
}
