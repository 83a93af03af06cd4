import { tryParseDuration } from '../dsl/duration.ts';
import { GUARD_DURATIONS } from '../dsl/guard-durations.ts';
import { UcopError } from '../errors/ucop-error.ts';
import type { SettingsLayer } from './settings-layer.ts';

/** The UCOP_* variables read as engine settings, with the setting each one sets. */
export const SETTINGS_ENV_VARIABLES = {
  UCOP_PARALLEL: 'parallel',
  UCOP_ENGINE: 'parallel',
  UCOP_MAX_PARALLEL: 'max_parallel',
  UCOP_FAIL_FAST: 'fail_fast',
  UCOP_TIMEOUT: 'timeout',
  UCOP_STEP_TIMEOUT: 'step_timeout',
  UCOP_MAX_STEPS: 'max_steps',
  UCOP_PROVIDER: 'provider',
} as const;

/**
 * The settings layer given by UCOP_* environment variables: UCOP_PARALLEL and UCOP_FAIL_FAST
 * (`true|false|1|0|yes|no`), UCOP_ENGINE (`parallel|sequential`), UCOP_MAX_PARALLEL and UCOP_MAX_STEPS
 * (integers >= 1), UCOP_TIMEOUT and UCOP_STEP_TIMEOUT (durations such as `30s`), UCOP_PROVIDER (a name).
 * Empty variables are ignored.
 * @throws UcopError CONFIG_INVALID naming every variable with a bad value (`fields.variables`).
 */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): SettingsLayer {
  const layer: SettingsLayer = {};
  const problems: string[] = [];
  const bad: string[] = [];
  const read = (name: keyof typeof SETTINGS_ENV_VARIABLES): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const fail = (name: string, value: string, expected: string) => {
    bad.push(name);
    problems.push(`${name}=${JSON.stringify(value)} must be ${expected}`);
  };

  const parallel = read('UCOP_PARALLEL');
  if (parallel !== undefined) {
    const b = parseBoolean(parallel);
    if (b === undefined) fail('UCOP_PARALLEL', parallel, 'true or false');
    else layer.parallel = b;
  }
  const engine = read('UCOP_ENGINE');
  if (engine !== undefined) {
    if (engine !== 'parallel' && engine !== 'sequential') fail('UCOP_ENGINE', engine, '`parallel` or `sequential`');
    else if (layer.parallel !== undefined && layer.parallel !== (engine === 'parallel')) {
      bad.push('UCOP_ENGINE');
      problems.push(`UCOP_ENGINE=${engine} contradicts UCOP_PARALLEL=${parallel}: unset one of them`);
    } else layer.parallel = engine === 'parallel';
  }
  const failFast = read('UCOP_FAIL_FAST');
  if (failFast !== undefined) {
    const b = parseBoolean(failFast);
    if (b === undefined) fail('UCOP_FAIL_FAST', failFast, 'true or false');
    else layer.fail_fast = b;
  }
  for (const [name, key] of [['UCOP_MAX_PARALLEL', 'max_parallel'], ['UCOP_MAX_STEPS', 'max_steps']] as const) {
    const value = read(name);
    if (value === undefined) continue;
    if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) fail(name, value, 'an integer of at least 1');
    else layer[key] = Number(value);
  }
  for (const [name, key] of [['UCOP_TIMEOUT', 'timeout'], ['UCOP_STEP_TIMEOUT', 'step_timeout']] as const) {
    const value = read(name);
    if (value === undefined) continue;
    const ms = tryParseDuration(value);
    if (ms === undefined) fail(name, value, 'a duration such as `30s`, `2m` or `1h30m`');
    else if (ms === 0) fail(name, value, `a duration above zero (0 would switch off ${GUARD_DURATIONS[key]})`);
    else layer[key] = value;
  }
  const provider = read('UCOP_PROVIDER');
  if (provider !== undefined) layer.provider = provider;

  if (problems.length > 0) {
    throw new UcopError('CONFIG_INVALID', `invalid environment: ${problems.join('; ')}`, { fields: { variables: bad } });
  }
  return layer;
}

function parseBoolean(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  return undefined;
}
