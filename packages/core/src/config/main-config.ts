import { dirname } from 'node:path';
import type { Diagnostic } from '../errors/diagnostic.ts';
import { sortDiagnostics } from '../errors/diagnostic.ts';
import { durationDiagnostic } from '../dsl/duration-diagnostic.ts';
import { GUARD_DURATIONS } from '../dsl/guard-durations.ts';
import { isRecord } from '../dsl/workflow-normalize.ts';
import type { YamlLimits } from '../dsl/yaml-limits.ts';
import { fileErrorDiagnostic } from '../files/file-error-diagnostic.ts';
import { readTextFile } from '../files/read-text-file.ts';
import { checkConfigYaml } from './config-yaml.ts';
import { DEFAULT_FILE_LIMITS, FILE_LIMIT_SETTINGS, fileLimitsLayer } from './file-limits.ts';
import { stepFilesLayer } from './step-files-setting.ts';
import { MAIN_CONFIG_SCHEMA } from './main-config-schema.ts';
import type { MainConfig } from './main-config-types.ts';
import type { SettingsLayer } from './settings-layer.ts';

export interface MainConfigValidation {
  /** Present only when there is no error. */
  config?: MainConfig;
  diagnostics: Diagnostic[];
}

const SETTING_KEYS = new Set(['parallel', 'max_parallel', 'fail_fast', 'timeout', 'step_timeout', 'retry', 'max_steps', 'no_progress_timeout', 'cancel_grace', 'concurrency', 'provider', 'fallback']);
const DURATION_KEYS = ['timeout', 'step_timeout', 'no_progress_timeout', 'cancel_grace'];

/**
 * Validates the text of config/main.yaml: YAML with the loader's limits, then its schema. Unknown keys are
 * CONFIG_UNKNOWN_KEY with a "did you mean" or, for renamed keys, the new name; other problems are
 * CONFIG_INVALID or BAD_DURATION. An empty file is an empty configuration.
 */
export function validateMainConfigSource(source: string, file: string, limits?: Partial<YamlLimits>): MainConfigValidation {
  const checked = checkConfigYaml(source, file, MAIN_CONFIG_SCHEMA, limits);
  const { value, sourceMap } = checked;
  if (value === undefined) return { diagnostics: checked.diagnostics };
  const diagnostics: Diagnostic[] = [...checked.diagnostics];
  // A setting written at the top level belongs under `defaults:`.
  for (const key of Object.keys(isRecord(value) ? value : {})) {
    if (!SETTING_KEYS.has(key)) continue;
    const pos = sourceMap.locateKey([key]);
    const d = diagnostics.find((f) => f.code === 'CONFIG_UNKNOWN_KEY' && f.line === pos.line && f.col === pos.col);
    if (d) d.hint = `engine settings go under \`defaults:\`: write \`defaults: { ${key}: ... }\``;
  }
  const root = isRecord(value) ? value : {};
  const defaults = isRecord(root.defaults) ? (root.defaults as SettingsLayer) : {};
  const durations: [unknown, (string | number)[]][] = DURATION_KEYS.map((k) => [(defaults as Record<string, unknown>)[k], ['defaults', k]]);
  if (isRecord(defaults.retry)) for (const k of ['delay', 'max_delay']) durations.push([(defaults.retry as Record<string, unknown>)[k], ['defaults', 'retry', k]]);
  for (const [duration, path] of durations) {
    const diagnostic = durationDiagnostic(duration, path, sourceMap, path.length === 2 ? GUARD_DURATIONS[String(path[1])] : undefined);
    if (diagnostic) diagnostics.push(diagnostic);
  }
  if (diagnostics.length > 0) return { diagnostics: sortDiagnostics(diagnostics) };

  const agents = isRecord(root.agents) ? root.agents : {};
  const config: MainConfig = {
    file,
    dir: dirname(file),
    defaults,
    agents: { plugins: Array.isArray(agents.plugins) ? (agents.plugins as string[]) : [] },
  };
  if (typeof root.providers_file === 'string') config.providers_file = root.providers_file;
  if (typeof root.workflows_dir === 'string') config.workflows_dir = root.workflows_dir;
  if (isRecord(root.limits)) {
    const raw = root.limits as Record<string, string | number | undefined>;
    try {
      config.limits = fileLimitsLayer({ workflowBytes: raw[FILE_LIMIT_SETTINGS.workflowBytes.key], configBytes: raw[FILE_LIMIT_SETTINGS.configBytes.key] }, 'config');
    } catch (error) {
      const setting = String((error as { fields?: { setting?: unknown } }).fields?.setting ?? 'limits');
      const pos = sourceMap.locate(setting.split('.'));
      return { diagnostics: [{ file, line: pos.line, col: pos.col, code: 'CONFIG_INVALID', message: (error as Error).message }] };
    }
  }
  if (isRecord(root.step_files)) {
    // The schema has checked the values: the layer only names them.
    const raw = root.step_files as { mode?: string; threshold?: number };
    config.step_files = stepFilesLayer({ mode: raw.mode, threshold: raw.threshold }, 'config');
  }
  if (Array.isArray(root.secrets)) config.secrets = root.secrets as string[];
  return { config, diagnostics: [] };
}

/** How {@link loadMainConfig} reads the file. */
export interface LoadMainConfigOptions {
  /** @default 1 MiB (DEFAULT_FILE_LIMITS.configBytes) */
  maxBytes?: number;
  /** How a user raises the limit, named when the file is over it. */
  limitSetting?: string;
  signal?: AbortSignal;
}

/**
 * Reads and validates config/main.yaml, with the care of readTextFile (regular file, size limit, UTF-8,
 * abortable). A missing file is a FILE_NOT_FOUND diagnostic at 1:1; callers that treat the file as optional
 * check for that code and fall back on the built-in defaults.
 */
export async function loadMainConfig(path: string, limits?: Partial<YamlLimits>, options: LoadMainConfigOptions = {}): Promise<MainConfigValidation> {
  const maxBytes = options.maxBytes ?? limits?.maxBytes ?? DEFAULT_FILE_LIMITS.configBytes;
  let source: string;
  try {
    source = await readTextFile(path, {
      maxBytes,
      what: 'configuration file',
      tooLargeCode: 'YAML_TOO_LARGE',
      ...(options.limitSetting ? { limitSetting: options.limitSetting } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    const diagnostic = fileErrorDiagnostic(error, path);
    if (diagnostic.code === 'FILE_NOT_FOUND') diagnostic.message = 'the configuration file does not exist: check the path';
    return { diagnostics: [diagnostic] };
  }
  return validateMainConfigSource(source, path, { ...limits, maxBytes });
}
