import { formatDuration as formatDslDuration } from '@ucop/core';
import type { EngineSettings, SettingSource } from '@ucop/core';

/** One effective engine setting, named as in a workflow's `config:`, with where its value came from. */
export interface EffectiveSetting {
  key: string;
  value: unknown;
  source: SettingSource;
}

/**
 * Lists the run-wide settings under their `config:` names (`max_parallel`, `retry.delay`, `concurrency.llm`),
 * durations written back as durations (`30m`), each with its source: flag, env, workflow, config or default.
 */
export function effectiveSettings(settings: EngineSettings, sources: Readonly<Record<string, SettingSource>>): EffectiveSetting[] {
  const entry = (key: string, value: unknown): EffectiveSetting => ({ key, value, source: sources[key] ?? 'default' });
  const list = [
    entry('parallel', settings.parallel),
    entry('max_parallel', settings.maxParallel),
    entry('fail_fast', settings.failFast),
    entry('timeout', duration(settings.timeoutMs)),
    entry('step_timeout', duration(settings.stepTimeoutMs)),
    entry('retry.attempts', settings.retry.attempts),
    entry('retry.backoff', settings.retry.backoff),
    entry('retry.delay', duration(settings.retry.delayMs)),
    entry('retry.max_delay', duration(settings.retry.maxDelayMs)),
    entry('max_steps', settings.maxSteps),
    entry('no_progress_timeout', duration(settings.noProgressTimeoutMs)),
    entry('cancel_grace', duration(settings.cancelGraceMs)),
  ];
  for (const [group, limit] of Object.entries(settings.concurrencyGroups).sort(([a], [b]) => a.localeCompare(b))) {
    list.push(entry(`concurrency.${group}`, limit));
  }
  list.push(entry('provider', settings.provider ?? null));
  list.push(entry('fallback', settings.fallback));
  return list;
}

/** `key  value  (source)` lines, aligned. */
export function formatEffectiveSettings(list: readonly EffectiveSetting[]): string[] {
  const rendered = list.map((s) => ({ key: s.key, value: renderValue(s.value), source: s.source }));
  const keyWidth = Math.max(...rendered.map((r) => r.key.length));
  const valueWidth = Math.max(...rendered.map((r) => r.value.length));
  return rendered.map((r) => `  ${r.key.padEnd(keyWidth)}  ${r.value.padEnd(valueWidth)}  (${r.source})`);
}

function renderValue(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.join(', ')}]`;
  return String(value);
}

function duration(ms: number): string {
  return Number.isSafeInteger(ms) && ms >= 0 ? formatDslDuration(ms) : String(ms);
}
