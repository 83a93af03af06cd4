import { describe, it, expect } from 'vitest';
import { validateMainConfigSource } from './main-config.ts';
import { DEFAULT_STEP_FILES, resolveStepFiles, stepFilesFromEnv, stepFilesLayer } from './step-files-setting.ts';

describe('step files setting', () => {
  it('takes each key from the first layer that sets it, else auto and 1000', () => {
    expect(resolveStepFiles()).toEqual(DEFAULT_STEP_FILES);
    expect(resolveStepFiles({ mode: 'all' }, stepFilesFromEnv({ UCOP_STEP_FILES: 'none', UCOP_STEP_FILES_THRESHOLD: ' 20 ' }), { threshold: 5 })).toEqual({ mode: 'all', threshold: 20 });
    expect(stepFilesFromEnv({ UCOP_STEP_FILES: '', UCOP_STEP_FILES_THRESHOLD: '' })).toEqual({});
  });

  it('refuses a bad value naming the setting: USAGE for a flag, CONFIG_INVALID for a variable', () => {
    expect(() => stepFilesLayer({ mode: 'most' }, 'flag')).toThrow(expect.objectContaining({ code: 'USAGE', message: '--step-files must be `all`, `auto` or `none`, got "most"' }));
    expect(() => stepFilesFromEnv({ UCOP_STEP_FILES_THRESHOLD: '1e3' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('UCOP_STEP_FILES_THRESHOLD must be a whole number') }));
  });

  it('config/main.yaml: step_files is checked by the schema and read as the config layer', () => {
    expect(validateMainConfigSource('step_files:\n  mode: none\n  threshold: 10\n', 'main.yaml').config?.step_files).toEqual({ mode: 'none', threshold: 10 });
    const bad = validateMainConfigSource('step_files:\n  mode: sometimes\n', 'main.yaml');
    expect(bad.config).toBeUndefined();
    expect(bad.diagnostics.map((d) => d.line)).toEqual([2]);
  });
});
