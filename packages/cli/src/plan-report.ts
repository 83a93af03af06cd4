import { formatDuration as formatDslDuration } from '@ucop/core';
import type { CompiledPlan, PlanEstimate, PlanStep, EngineSettings, SettingSource } from '@ucop/core';
import { formatDuration, formatSpeedup } from './duration-format.ts';

/** One step's effective settings as `ucop plan` shows them. */
export interface PlanStepReport {
  id: string;
  agent: string;
  group: number;
  dependencies: string[];
  estimateMs: number;
  remainingMs: number;
  timeoutMs: number;
  retry: PlanStep['retry'];
  continueOnError: boolean;
  forEach?: string;
  /** A fan-out's expected item count, when known at plan time. */
  expectedItems?: number;
  maxParallel?: number;
  condition?: string;
  concurrencyGroup?: { name: string; limit: number };
  provider?: string;
  fallback: string[];
  writes: string[];
  onCriticalPath: boolean;
}

/** The `--json` document of `ucop plan`. */
export interface PlanReport {
  workflow: string;
  file: string;
  settings: EngineSettings;
  /** Where each run-wide setting came from, by its `config:` name (`max_parallel`: `flag`, ...). */
  settingSources: Record<string, SettingSource>;
  groups: string[][];
  /** By the estimates, fan-outs weighed by their expected items on the workers (the same as `estimate`'s). */
  criticalPath: { steps: string[]; ms: number };
  estimate: PlanEstimate;
  steps: PlanStepReport[];
}

export function buildPlanReport(plan: CompiledPlan, estimate: PlanEstimate, sources: Record<string, SettingSource> = {}): PlanReport {
  const critical = new Set(estimate.criticalPath);
  return {
    workflow: plan.workflow,
    file: plan.file,
    settings: plan.settings,
    settingSources: sources,
    groups: plan.groups,
    criticalPath: { steps: estimate.criticalPath, ms: estimate.criticalPathMs },
    estimate,
    steps: stepReports(plan.steps, plan.order, '', critical),
  };
}

/**
 * One row per step in plan order; a group's inner steps follow it, named by their path (`chapter.analyze`),
 * their `group` column the parallel group inside the group.
 */
function stepReports(steps: Record<string, PlanStep>, order: readonly string[], prefix: string, critical: ReadonlySet<string>): PlanStepReport[] {
  const out: PlanStepReport[] = [];
  for (const localId of order) {
    const step = steps[localId]!;
    const id = `${prefix}${localId}`;
    out.push({
      id,
      agent: step.agent,
      group: step.group,
      dependencies: step.dependencies,
      estimateMs: step.estimateMs,
      remainingMs: step.remainingMs,
      timeoutMs: step.timeoutMs,
      retry: step.retry,
      continueOnError: step.continueOnError,
      ...(step.forEach ? { forEach: step.forEach.source } : {}),
      ...(step.expectedItems !== undefined ? { expectedItems: step.expectedItems } : {}),
      ...(step.maxParallel !== undefined ? { maxParallel: step.maxParallel } : {}),
      ...(step.condition ? { condition: step.condition.source } : {}),
      ...(step.concurrencyGroup ? { concurrencyGroup: step.concurrencyGroup } : {}),
      ...(step.provider ? { provider: step.provider } : {}),
      fallback: step.fallback,
      writes: step.writes,
      onCriticalPath: critical.has(id),
    });
    if (step.body) out.push(...stepReports(step.body.steps, step.body.order, `${id}.`, critical));
  }
  return out;
}

/** The human-readable plan: groups, critical path, bound and speedup, then a table of step settings. */
export function formatPlanReport(report: PlanReport): string {
  const { estimate, settings } = report;
  const from = (key: string): string => ` (${report.settingSources[key] ?? 'default'})`;
  const lines: string[] = [];
  lines.push(`Workflow ${report.workflow} (${report.file})`);
  lines.push(
    `Engine: ${settings.parallel ? 'parallel' : 'sequential'}${from('parallel')}, max_parallel ${settings.maxParallel}${from('max_parallel')}, ` +
      `fail_fast ${settings.failFast}${from('fail_fast')}, run timeout ${configured(settings.timeoutMs)}${from('timeout')}`,
  );
  lines.push('');
  lines.push(`Parallel groups (${report.groups.length}):`);
  // Numbered from 0, like `group` in `--json`, in the step table and in traces (`step.attempt` spans).
  report.groups.forEach((group, index) => lines.push(`  ${String(index).padStart(2)}. ${group.join(', ')}`));
  lines.push('');
  lines.push(`Critical path: ${report.criticalPath.steps.join(' -> ') || '(empty)'} (${formatDuration(report.criticalPath.ms)})`);
  lines.push(`Total work:    ${formatDuration(estimate.totalWorkMs)}`);
  lines.push(`Lower bound with ${estimate.workers} worker${estimate.workers === 1 ? '' : 's'}: ${formatDuration(estimate.lowerBoundMs)}`);
  lines.push(`Estimated speedup over sequential: ${formatSpeedup(estimate.estimatedSpeedup)}`);
  if (estimate.unknownItemCounts.length > 0) {
    lines.push(`Counted as one item (count unknown until run time; set expected_items:): ${estimate.unknownItemCounts.join(', ')}`);
  }
  lines.push('');
  lines.push('Steps (effective settings):');
  lines.push(...formatTable(['step', 'group', 'agent', 'estimate', 'timeout', 'attempts', 'parallel', 'provider', 'notes'], report.steps.map(stepRow)));
  return `${lines.join('\n')}\n`;
}

function stepRow(step: PlanStepReport): string[] {
  const notes: string[] = [];
  if (step.onCriticalPath) notes.push('critical');
  if (step.forEach) notes.push(`for_each ${step.forEach}`);
  if (step.condition) notes.push(`if ${step.condition}`);
  if (step.continueOnError) notes.push('continue_on_error');
  if (step.concurrencyGroup) notes.push(`group ${step.concurrencyGroup.name}/${step.concurrencyGroup.limit}`);
  if (step.fallback.length > 0) notes.push(`fallback ${step.fallback.join(',')}`);
  return [
    step.id,
    String(step.group),
    step.agent,
    step.forEach ? `${formatDuration(step.estimateMs)} x ${step.expectedItems ?? '?'}` : formatDuration(step.estimateMs),
    configured(step.timeoutMs),
    `${step.retry.attempts} (${step.retry.backoff})`,
    step.maxParallel === undefined ? '-' : String(step.maxParallel),
    step.provider ?? '-',
    notes.join('; '),
  ];
}

/** Left-aligned columns, two spaces apart, indented by two. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `  ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

/** A configured duration as it would be written in YAML (`2m`, `1h30m`). */
function configured(ms: number): string {
  return Number.isSafeInteger(ms) && ms >= 0 ? formatDslDuration(ms) : String(ms);
}
