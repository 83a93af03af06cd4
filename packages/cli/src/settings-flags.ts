import { Option } from 'commander';
import { BUILTIN_SETTINGS } from '@ucop/core';
import type { SettingsLayer } from '@ucop/core';
import { guardDuration, positiveInteger } from './option-parsers.ts';

/** The engine options `run` and `config show` accept on the command line. */
export interface EngineFlagOptions {
  engine?: 'parallel' | 'sequential';
  maxParallel?: number;
  /** `--fail-fast` true, `--no-fail-fast` false, neither undefined (the other layers decide). */
  failFast?: boolean;
  provider?: string;
  /** Whole-run deadline, as a duration (`30s`, `2m`). */
  timeout?: string;
}

/** Where an unset flag's value comes from, in precedence order down to the built-in default. */
function fallsBackTo(variable: string, key: string, builtin: string): string {
  return `(default: ${variable}, else config.${key} of the workflow, else config/main.yaml, else ${builtin})`;
}

/**
 * The engine flags, each a setting of the highest-precedence layer, with the help that says where the value
 * comes from when the flag is not given. Shared by `ucop run` and `ucop config show`, so both accept and
 * explain the same flags.
 */
export function engineFlagOptions(): Option[] {
  return [
    new Option('--engine <engine>', `execution engine ${fallsBackTo('UCOP_ENGINE', 'parallel', BUILTIN_SETTINGS.parallel ? 'parallel' : 'sequential')}`).choices([
      'parallel',
      'sequential',
    ]),
    new Option('--max-parallel <n>', `cap on concurrently running steps, fan-out items included ${fallsBackTo('UCOP_MAX_PARALLEL', 'max_parallel', String(BUILTIN_SETTINGS.max_parallel))}`).argParser(
      positiveInteger,
    ),
    new Option('--fail-fast', `stop every running step at the first step failure ${fallsBackTo('UCOP_FAIL_FAST', 'fail_fast', BUILTIN_SETTINGS.fail_fast ? 'on' : 'off')}`),
    new Option('--no-fail-fast', 'let independent steps carry on after a failure, whatever the workflow or configuration says'),
    new Option('--timeout <duration>', `whole-run deadline, e.g. 30s, 10m ${fallsBackTo('UCOP_TIMEOUT', 'timeout', String(BUILTIN_SETTINGS.timeout))}`).argParser(guardDuration),
  ];
}

/** The highest-precedence settings layer: only what was given on the command line. */
export function flagsLayer(options: EngineFlagOptions): SettingsLayer {
  return {
    ...(options.engine ? { parallel: options.engine === 'parallel' } : {}),
    ...(options.maxParallel !== undefined ? { max_parallel: options.maxParallel } : {}),
    ...(options.failFast !== undefined ? { fail_fast: options.failFast } : {}),
    ...(options.provider !== undefined ? { provider: options.provider } : {}),
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
  };
}
