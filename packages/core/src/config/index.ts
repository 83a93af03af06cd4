// Public API of the config area: engine settings resolution, config/main.yaml, and reading any configuration file.
export type * from './settings-layer.ts';
export type * from './main-config-types.ts';
export type { SettingsLayers, ResolvedSettings } from './resolve-engine-settings.ts';
export type { MainConfigValidation } from './main-config.ts';
export type { CheckedConfigYaml } from './config-yaml.ts';
export { SETTING_SOURCES } from './settings-layer.ts';
export { BUILTIN_SETTINGS } from './builtin-settings.ts';
export { resolveEngineSettings } from './resolve-engine-settings.ts';
export { settingsFromEnv, SETTINGS_ENV_VARIABLES } from './settings-from-env.ts';
export { loadMainConfig, validateMainConfigSource } from './main-config.ts';
export { checkConfigYaml } from './config-yaml.ts';
export { MAIN_CONFIG_SCHEMA } from './main-config-schema.ts';
export type { FileLimits } from './file-limits.ts';
export type { LoadMainConfigOptions } from './main-config.ts';
export { DEFAULT_FILE_LIMITS, FILE_LIMIT_SETTINGS, MAX_ARTICLE_BYTES, describeLimitSetting, fileLimitsFromEnv, fileLimitsLayer, parseByteSize, resolveFileLimits } from './file-limits.ts';
export type { StepFilesMode, StepFilesSetting } from './step-files-setting.ts';
export { DEFAULT_STEP_FILES, STEP_FILES_MODES, STEP_FILES_SETTINGS, resolveStepFiles, stepFilesFromEnv, stepFilesLayer } from './step-files-setting.ts';
