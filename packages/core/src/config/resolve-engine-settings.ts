import { tryParseDuration } from '../dsl/duration.ts';
import { GUARD_DURATIONS } from '../dsl/guard-durations.ts';
import type { RetrySpec } from '../dsl/workflow-document.ts';
import { UcopError } from '../errors/ucop-error.ts';
import type { EngineSettings, RetryPolicySettings } from '../plan/plan-types.ts';
import { BUILTIN_SETTINGS } from './builtin-settings.ts';
import type { MainConfig } from './main-config-types.ts';
import type { SettingSource, SettingsLayer } from './settings-layer.ts';

/** The configuration layers; each is optional. */
export interface SettingsLayers {
  /** @default BUILTIN_SETTINGS */
  builtin?: SettingsLayer;
  /** config/main.yaml: its `defaults:` (the loaded MainConfig is accepted too). */
  mainConfig?: SettingsLayer | MainConfig;
  /** The workflow's `config:`. */
  workflow?: SettingsLayer;
  /** From UCOP_* variables, see {@link settingsFromEnv}. */
  env?: SettingsLayer;
  /** From command-line flags (`--max-parallel 8` → `{ max_parallel: 8 }`). */
  flags?: SettingsLayer;
}

export interface ResolvedSettings {
  settings: EngineSettings;
  /**
   * Where each effective value came from, keyed by its `config:` name: `max_parallel`, `retry.attempts`,
   * `concurrency.llm`, ...
   */
  sources: Record<string, SettingSource>;
}

type ScalarKey = Exclude<keyof SettingsLayer, 'retry' | 'concurrency'>;

/**
 * Applies the layers with precedence flag > UCOP_* variable > workflow `config:` > config/main.yaml >
 * built-in default, key by key (a workflow that sets only `retry.attempts` keeps the configured delay),
 * and records where every value came from.
 * @throws UcopError CONFIG_INVALID when a layer holds a value of the wrong kind (the layer and key named).
 */
export function resolveEngineSettings(layers: SettingsLayers = {}): ResolvedSettings {
  const ordered: [SettingSource, SettingsLayer][] = [];
  const push = (source: SettingSource, layer: SettingsLayer | undefined) => {
    if (layer) ordered.push([source, layer]);
  };
  push('flag', layers.flags);
  push('env', layers.env);
  push('workflow', layers.workflow);
  push('config', layers.mainConfig && isMainConfig(layers.mainConfig) ? layers.mainConfig.defaults : (layers.mainConfig as SettingsLayer | undefined));
  // A partial `builtin` layer (tests) still falls back on the real defaults.
  push('default', layers.builtin);
  push('default', BUILTIN_SETTINGS);

  const sources: Record<string, SettingSource> = {};
  const pick = <K extends ScalarKey>(key: K): SettingsLayer[K] => {
    for (const [source, layer] of ordered) {
      if (layer[key] !== undefined) {
        sources[key] = source;
        return layer[key];
      }
    }
    return undefined;
  };
  const pickRetry = <K extends keyof RetrySpec>(key: K): RetrySpec[K] => {
    for (const [source, layer] of ordered) {
      const value = layer.retry?.[key];
      if (value !== undefined) {
        sources[`retry.${key}`] = source;
        return value;
      }
    }
    return undefined;
  };
  const sourceOf = (key: string): SettingSource => sources[key] ?? 'default';

  const retry: RetryPolicySettings = {
    attempts: positiveInteger(pickRetry('attempts'), 'retry.attempts', sourceOf),
    backoff: backoffOf(pickRetry('backoff'), sourceOf),
    delayMs: durationMs(pickRetry('delay'), 'retry.delay', sourceOf),
    maxDelayMs: durationMs(pickRetry('max_delay'), 'retry.max_delay', sourceOf),
  };
  const settings: EngineSettings = {
    parallel: booleanOf(pick('parallel'), 'parallel', sourceOf),
    maxParallel: positiveInteger(pick('max_parallel'), 'max_parallel', sourceOf),
    failFast: booleanOf(pick('fail_fast'), 'fail_fast', sourceOf),
    timeoutMs: guardDurationMs(pick('timeout'), 'timeout', sourceOf),
    stepTimeoutMs: guardDurationMs(pick('step_timeout'), 'step_timeout', sourceOf),
    retry,
    maxSteps: positiveInteger(pick('max_steps'), 'max_steps', sourceOf),
    noProgressTimeoutMs: guardDurationMs(pick('no_progress_timeout'), 'no_progress_timeout', sourceOf),
    cancelGraceMs: durationMs(pick('cancel_grace'), 'cancel_grace', sourceOf),
    concurrencyGroups: {},
    fallback: [...(pick('fallback') ?? [])],
  };
  const provider = pick('provider');
  if (provider !== undefined) settings.provider = provider;

  // Concurrency groups merge across layers; for each group the highest layer that sets it wins.
  for (const [source, layer] of [...ordered].reverse()) {
    for (const [group, spec] of Object.entries(layer.concurrency ?? {})) {
      settings.concurrencyGroups[group] = positiveInteger(spec?.limit, `concurrency.${group}.limit`, () => source);
      sources[`concurrency.${group}`] = source;
    }
  }
  return { settings, sources };
}

function isMainConfig(value: SettingsLayer | MainConfig): value is MainConfig {
  return typeof (value as MainConfig).defaults === 'object' && (value as MainConfig).defaults !== null;
}

function invalid(key: string, source: SettingSource, expected: string, value: unknown): UcopError {
  return new UcopError('CONFIG_INVALID', `setting \`${key}\` from ${describeSource(source)} must be ${expected}, not ${JSON.stringify(value)}`, {
    fields: { key, source, value },
  });
}

function describeSource(source: SettingSource): string {
  switch (source) {
    case 'flag':
      return 'the command line';
    case 'env':
      return 'a UCOP_* environment variable';
    case 'workflow':
      return "the workflow's config";
    case 'config':
      return 'config/main.yaml';
    case 'default':
      return 'the built-in defaults';
  }
}

function durationMs(value: unknown, key: string, sourceOf: (key: string) => SettingSource): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  const ms = typeof value === 'string' ? tryParseDuration(value) : undefined;
  if (ms === undefined) throw invalid(key, sourceOf(key), 'a duration such as `30s`', value);
  return ms;
}

/** A duration that arms a guard (GUARD_DURATIONS): 0 would switch the guard off, so it is refused. */
function guardDurationMs(value: unknown, key: string, sourceOf: (key: string) => SettingSource): number {
  const ms = durationMs(value, key, sourceOf);
  if (ms === 0) throw invalid(key, sourceOf(key), `a duration above zero (0 would switch off ${GUARD_DURATIONS[key]})`, value);
  return ms;
}

function positiveInteger(value: unknown, key: string, sourceOf: (key: string) => SettingSource): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
  throw invalid(key, sourceOf(key), 'an integer of at least 1', value);
}

function booleanOf(value: unknown, key: string, sourceOf: (key: string) => SettingSource): boolean {
  if (typeof value === 'boolean') return value;
  throw invalid(key, sourceOf(key), 'true or false', value);
}

function backoffOf(value: unknown, sourceOf: (key: string) => SettingSource): 'exponential' | 'fixed' {
  if (value === 'exponential' || value === 'fixed') return value;
  throw invalid('retry.backoff', sourceOf('retry.backoff'), '`exponential` or `fixed`', value);
}
