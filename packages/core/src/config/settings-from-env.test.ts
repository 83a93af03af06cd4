import { describe, expect, it } from 'vitest';
import { isUcopError } from '../errors/ucop-error.ts';
import { settingsFromEnv } from './settings-from-env.ts';

describe('settingsFromEnv', () => {
  it('reads every UCOP_* setting variable', () => {
    expect(
      settingsFromEnv({
        UCOP_PARALLEL: 'false',
        UCOP_MAX_PARALLEL: '8',
        UCOP_FAIL_FAST: 'yes',
        UCOP_TIMEOUT: '1h',
        UCOP_STEP_TIMEOUT: '90s',
        UCOP_MAX_STEPS: '500',
        UCOP_PROVIDER: 'anthropic',
        UNRELATED: 'x',
      }),
    ).toEqual({ parallel: false, max_parallel: 8, fail_fast: true, timeout: '1h', step_timeout: '90s', max_steps: 500, provider: 'anthropic' });
  });

  it('maps UCOP_ENGINE to parallel and ignores empty variables', () => {
    expect(settingsFromEnv({ UCOP_ENGINE: 'sequential', UCOP_TIMEOUT: '' })).toEqual({ parallel: false });
    expect(settingsFromEnv({ UCOP_ENGINE: 'parallel' })).toEqual({ parallel: true });
  });

  it('CONFIG_INVALID names every bad variable', () => {
    try {
      settingsFromEnv({ UCOP_MAX_PARALLEL: 'lots', UCOP_TIMEOUT: '30', UCOP_ENGINE: 'fast', UCOP_FAIL_FAST: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(isUcopError(error) && error.code).toBe('CONFIG_INVALID');
      expect(isUcopError(error) && error.fields.variables).toEqual(['UCOP_ENGINE', 'UCOP_FAIL_FAST', 'UCOP_MAX_PARALLEL', 'UCOP_TIMEOUT']);
      expect((error as Error).message).toBe(
        'invalid environment: UCOP_ENGINE="fast" must be `parallel` or `sequential`; UCOP_FAIL_FAST="maybe" must be true or false; ' +
          'UCOP_MAX_PARALLEL="lots" must be an integer of at least 1; UCOP_TIMEOUT="30" must be a duration such as `30s`, `2m` or `1h30m`',
      );
    }
  });

  it('refuses UCOP_TIMEOUT and UCOP_STEP_TIMEOUT of 0, which would switch their guard off', () => {
    try {
      settingsFromEnv({ UCOP_TIMEOUT: '0ms', UCOP_STEP_TIMEOUT: '0s' });
      expect.unreachable();
    } catch (error) {
      expect(isUcopError(error) && error.code).toBe('CONFIG_INVALID');
      expect((error as Error).message).toBe(
        'invalid environment: UCOP_TIMEOUT="0ms" must be a duration above zero (0 would switch off the run deadline); ' +
          'UCOP_STEP_TIMEOUT="0s" must be a duration above zero (0 would switch off the step timeout)',
      );
    }
  });

  it('refuses contradictory UCOP_PARALLEL and UCOP_ENGINE', () => {
    expect(() => settingsFromEnv({ UCOP_PARALLEL: 'true', UCOP_ENGINE: 'sequential' })).toThrow('UCOP_ENGINE=sequential contradicts UCOP_PARALLEL=true: unset one of them');
  });
});
