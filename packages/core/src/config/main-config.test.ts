import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { positionOf } from '../dsl/testing/positions.ts';
import { loadMainConfig, validateMainConfigSource } from './main-config.ts';
import { resolveEngineSettings } from './resolve-engine-settings.ts';

const SHIPPED = fileURLToPath(new URL('../../../../config/main.yaml', import.meta.url));
const at = (source: string, needle: string) => Object.values(positionOf(source, needle)) as [number, number];

describe('config/main.yaml', () => {
  it('the shipped file is valid and its commented values are the built-in defaults', async () => {
    const { config, diagnostics } = await loadMainConfig(SHIPPED);
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({ defaults: {}, agents: { plugins: [] }, providers_file: 'providers.yaml' });
    // Uncommenting every default must change nothing.
    const uncommented = readFileSync(SHIPPED, 'utf8')
      .split('\n')
      .map((l) => l.replace(/^(\s+)# (\s*[a-z_]+:)/, '$1$2'))
      .join('\n');
    const full = validateMainConfigSource(uncommented, 'main.yaml');
    expect(full.diagnostics).toEqual([]);
    expect(full.config!.defaults).toMatchObject({ max_parallel: 4, retry: { attempts: 1 }, concurrency: { llm: { limit: 3 } } });
    const { concurrency: _c, provider: _p, ...defaults } = full.config!.defaults;
    expect(resolveEngineSettings({ mainConfig: defaults }).settings).toEqual(resolveEngineSettings().settings);
  });

  it('FILE_NOT_FOUND for a missing file', async () => {
    expect((await loadMainConfig('/nonexistent/main.yaml')).diagnostics).toEqual([
      { file: '/nonexistent/main.yaml', line: 1, col: 1, code: 'FILE_NOT_FOUND', message: 'the configuration file does not exist: check the path' },
    ]);
  });

  it('an empty file is an empty configuration', () => {
    expect(validateMainConfigSource('# nothing\n', 'main.yaml').config).toEqual({ file: 'main.yaml', dir: '.', defaults: {}, agents: { plugins: [] } });
  });

  it('CONFIG_UNKNOWN_KEY with the new name of renamed keys, a did-you-mean, or where settings belong', () => {
    const source = 'defaults:\n  maxParallel: 3\n  timeout_seconds: 30\n  fail_fst: true\nmax_parallel: 2\nagent: {}\n';
    const { diagnostics, config } = validateMainConfigSource(source, 'main.yaml');
    expect(config).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.line, d.col, d.message, d.hint])).toEqual([
      ['CONFIG_UNKNOWN_KEY', ...at(source, 'maxParallel'), 'unknown key `maxParallel` in `defaults`', '`maxParallel` was renamed to `max_parallel`'],
      ['CONFIG_UNKNOWN_KEY', ...at(source, 'timeout_seconds'), 'unknown key `timeout_seconds` in `defaults`', '`timeout_seconds` was renamed to `timeout` (a duration with a unit, e.g. `30s`)'],
      ['CONFIG_UNKNOWN_KEY', ...at(source, 'fail_fst'), 'unknown key `fail_fst` in `defaults`', 'did you mean `fail_fast`?'],
      ['CONFIG_UNKNOWN_KEY', ...at(source, 'max_parallel: 2'), 'unknown key `max_parallel` at the top level', 'engine settings go under `defaults:`: write `defaults: { max_parallel: ... }`'],
      ['CONFIG_UNKNOWN_KEY', ...at(source, 'agent:'), 'unknown key `agent` at the top level', 'did you mean `agents`?'],
    ]);
  });

  it('CONFIG_INVALID and BAD_DURATION at the value', () => {
    const source = 'defaults:\n  max_parallel: -1\n  step_timeout: 2 min\nagents:\n  plugins: ./my-agents.ts\n';
    const { diagnostics } = validateMainConfigSource(source, 'main.yaml');
    expect(diagnostics.map((d) => [d.code, d.line, d.col, d.message])).toEqual([
      ['CONFIG_INVALID', ...at(source, '-1'), '`defaults.max_parallel` must be >= 1'],
      ['BAD_DURATION', ...at(source, '2 min'), '`defaults.step_timeout`: `2 min` is not a duration: write an integer and a unit (h, m, s, ms) such as `250ms`, `30s`, `2m`, `1h30m`'],
      ['CONFIG_INVALID', ...at(source, './my-agents.ts'), '`agents.plugins` must be a list, not the string `./my-agents.ts`'],
    ]);
  });

  it('BAD_DURATION for a 0 that would switch a guard off, not for a 0 cancel grace', () => {
    const source = 'defaults:\n  timeout: 0s\n  no_progress_timeout: 0ms\n  cancel_grace: 0s\n';
    const { diagnostics } = validateMainConfigSource(source, 'main.yaml');
    expect(diagnostics.map((d) => [d.code, d.line, d.col, d.message])).toEqual([
      ['BAD_DURATION', ...at(source, '0s'), '`defaults.timeout`: `0s` would switch off the run deadline: give a duration above zero (a long one such as `24h` for practically no limit)'],
      ['BAD_DURATION', ...at(source, '0ms'), '`defaults.no_progress_timeout`: `0ms` would switch off the no-progress watchdog: give a duration above zero (a long one such as `24h` for practically no limit)'],
    ]);
  });

  it('uses the safe loader: duplicate and forbidden keys are refused', () => {
    const { diagnostics } = validateMainConfigSource('defaults:\n  __proto__: { parallel: false }\nworkflows_dir: a\nworkflows_dir: b\n', 'main.yaml');
    expect(diagnostics.map((d) => d.code)).toEqual(['YAML_FORBIDDEN_KEY', 'YAML_DUPLICATE_KEY']);
  });

  it('limits: and secrets: are read; a limit that is not a size is CONFIG_INVALID at its value', () => {
    const { config } = validateMainConfigSource('limits:\n  max_workflow_bytes: 4MiB\n  max_config_bytes: 2000\nsecrets: [MY_TOKEN]\n', 'main.yaml');
    expect(config).toMatchObject({ limits: { workflowBytes: 4 * 1024 * 1024, configBytes: 2000 }, secrets: ['MY_TOKEN'] });
    const { diagnostics } = validateMainConfigSource('limits:\n  max_workflow_bytes: lots\n', 'main.yaml');
    expect(diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['CONFIG_INVALID', 2, 23]]);
    expect(diagnostics[0]!.message).toContain('limits.max_workflow_bytes must be a size in bytes');
  });
});
