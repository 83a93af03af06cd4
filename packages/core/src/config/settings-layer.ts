import type { WorkflowConfigSpec } from '../dsl/workflow-document.ts';

/**
 * One layer of engine settings, in the workflow's `config:` form (snake_case keys, durations as strings such
 * as `30s`; a number is taken as milliseconds). Every layer has the same shape: built-in defaults,
 * config/main.yaml `defaults:`, the workflow's `config:`, UCOP_* variables, command-line flags.
 */
export type SettingsLayer = WorkflowConfigSpec;

/** Where an effective setting came from, highest precedence first. */
export type SettingSource = 'flag' | 'env' | 'workflow' | 'config' | 'default';

/** The layers, from the highest precedence to the lowest (the built-in defaults are always last). */
export const SETTING_SOURCES: readonly SettingSource[] = ['flag', 'env', 'workflow', 'config', 'default'];
