import type { SettingsLayer } from '@ucop/core';

/** The engine options `run` and `config show` accept on the command line. */
export interface EngineFlagOptions {
  engine?: 'parallel' | 'sequential';
  maxParallel?: number;
  failFast?: boolean;
  provider?: string;
  /** Whole-run deadline, as a duration (`30s`, `2m`). */
  timeout?: string;
}

/** The highest-precedence settings layer: only what was given on the command line. */
export function flagsLayer(options: EngineFlagOptions): SettingsLayer {
  return {
    ...(options.engine ? { parallel: options.engine === 'parallel' } : {}),
    ...(options.maxParallel !== undefined ? { max_parallel: options.maxParallel } : {}),
    ...(options.failFast ? { fail_fast: true } : {}),
    ...(options.provider !== undefined ? { provider: options.provider } : {}),
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
  };
}
