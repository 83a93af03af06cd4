import type { SettingsLayer } from './settings-layer.ts';

/**
 * The built-in defaults: the last layer, used when no flag, UCOP_* variable, workflow `config:` or
 * config/main.yaml says otherwise. docs/workflow-reference.md and config/main.yaml list the same values.
 */
export const BUILTIN_SETTINGS: Readonly<SettingsLayer> = Object.freeze({
  parallel: true,
  max_parallel: 4,
  fail_fast: false,
  timeout: '30m',
  step_timeout: '2m',
  retry: Object.freeze({ attempts: 1, backoff: 'exponential', delay: '1s', max_delay: '30s' }),
  max_steps: 10_000,
  no_progress_timeout: '10m',
  cancel_grace: '2s',
  concurrency: Object.freeze({}),
  fallback: Object.freeze([]) as unknown as string[],
} satisfies SettingsLayer);
