import { describe, expect, it } from 'vitest';
import { isUcopError } from '../errors/ucop-error.ts';
import { resolveEngineSettings } from './resolve-engine-settings.ts';
import type { MainConfig } from './main-config-types.ts';

describe('resolveEngineSettings', () => {
  it('gives the built-in defaults when no layer says anything', () => {
    const { settings, sources } = resolveEngineSettings();
    expect(settings).toEqual({
      parallel: true,
      maxParallel: 4,
      failFast: false,
      timeoutMs: 30 * 60_000,
      stepTimeoutMs: 2 * 60_000,
      retry: { attempts: 1, backoff: 'exponential', delayMs: 1000, maxDelayMs: 30_000 },
      maxSteps: 10_000,
      noProgressTimeoutMs: 10 * 60_000,
      cancelGraceMs: 2000,
      concurrencyGroups: {},
      fallback: [],
    });
    expect(Object.values(sources).every((s) => s === 'default')).toBe(true);
    expect(sources.max_parallel).toBe('default');
  });

  it('applies flag > env > workflow > config > default, key by key, and says where each came from', () => {
    const layers = {
      mainConfig: { max_parallel: 2, fail_fast: true, timeout: '1h', step_timeout: '5m', retry: { delay: '5s' } },
      workflow: { max_parallel: 3, fail_fast: false, timeout: '45m', retry: { attempts: 3 } },
      env: { max_parallel: 6, timeout: '20m' },
      flags: { max_parallel: 8 },
    };
    const { settings, sources } = resolveEngineSettings(layers);
    expect(settings.maxParallel).toBe(8);
    expect(settings.timeoutMs).toBe(20 * 60_000);
    expect(settings.failFast).toBe(false);
    expect(settings.stepTimeoutMs).toBe(5 * 60_000);
    expect(settings.retry).toEqual({ attempts: 3, backoff: 'exponential', delayMs: 5000, maxDelayMs: 30_000 });
    expect(sources).toMatchObject({
      max_parallel: 'flag',
      timeout: 'env',
      fail_fast: 'workflow',
      step_timeout: 'config',
      'retry.attempts': 'workflow',
      'retry.delay': 'config',
      'retry.max_delay': 'default',
      parallel: 'default',
    });
  });

  it('removing a higher layer reveals the next one', () => {
    const base = { mainConfig: { max_parallel: 2 }, workflow: { max_parallel: 3 }, env: { max_parallel: 6 } };
    expect(resolveEngineSettings(base).settings.maxParallel).toBe(6);
    expect(resolveEngineSettings({ ...base, env: {} }).settings.maxParallel).toBe(3);
    expect(resolveEngineSettings({ mainConfig: base.mainConfig }).settings.maxParallel).toBe(2);
  });

  it('accepts the loaded config/main.yaml itself as the config layer', () => {
    const main: MainConfig = { file: 'config/main.yaml', dir: 'config', defaults: { provider: 'openai' }, agents: { plugins: [] } };
    const { settings, sources } = resolveEngineSettings({ mainConfig: main });
    expect(settings.provider).toBe('openai');
    expect(sources.provider).toBe('config');
  });

  it('merges concurrency groups across layers, the highest layer winning per group', () => {
    const { settings, sources } = resolveEngineSettings({
      mainConfig: { concurrency: { llm: { limit: 2 }, gpu: { limit: 1 } } },
      workflow: { concurrency: { llm: { limit: 5 } } },
    });
    expect(settings.concurrencyGroups).toEqual({ llm: 5, gpu: 1 });
    expect(sources['concurrency.llm']).toBe('workflow');
    expect(sources['concurrency.gpu']).toBe('config');
  });

  it('takes a number as milliseconds in programmatic layers', () => {
    expect(resolveEngineSettings({ flags: { step_timeout: 1500 as unknown as string } }).settings.stepTimeoutMs).toBe(1500);
  });

  it('CONFIG_INVALID for a 0 timeout, step timeout or watchdog from any layer, which would switch the guard off', () => {
    expect(() => resolveEngineSettings({ flags: { timeout: '0ms' } })).toThrow(
      'setting `timeout` from the command line must be a duration above zero (0 would switch off the run deadline), not "0ms"',
    );
    expect(() => resolveEngineSettings({ workflow: { step_timeout: '0s' } })).toThrow('setting `step_timeout` from the workflow\'s config must be a duration above zero');
    expect(() => resolveEngineSettings({ mainConfig: { no_progress_timeout: 0 as unknown as string } })).toThrow('(0 would switch off the no-progress watchdog)');
    expect(resolveEngineSettings({ flags: { cancel_grace: '0s' } }).settings.cancelGraceMs).toBe(0);
  });

  it('CONFIG_INVALID names the key and the layer of a bad value', () => {
    try {
      resolveEngineSettings({ flags: { timeout: 'soon' } });
      expect.unreachable();
    } catch (error) {
      expect(isUcopError(error) && error.code).toBe('CONFIG_INVALID');
      expect((error as Error).message).toBe('setting `timeout` from the command line must be a duration such as `30s`, not "soon"');
    }
    expect(() => resolveEngineSettings({ env: { max_parallel: 0 } })).toThrow('setting `max_parallel` from a UCOP_* environment variable must be an integer of at least 1, not 0');
  });
});
