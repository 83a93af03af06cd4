import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Diagnostic } from '../errors/diagnostic.ts';
import { sortDiagnostics } from '../errors/diagnostic.ts';
import { durationDiagnostic } from '../dsl/duration-diagnostic.ts';
import { GUARD_DURATIONS } from '../dsl/guard-durations.ts';
import { isRecord } from '../dsl/workflow-normalize.ts';
import type { YamlLimits } from '../dsl/yaml-limits.ts';
import { checkConfigYaml } from './config-yaml.ts';
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
  return { config, diagnostics: [] };
}

/**
 * Reads and validates config/main.yaml. A missing file is a FILE_NOT_FOUND diagnostic at 1:1; callers that
 * treat the file as optional check for that code and fall back on the built-in defaults.
 */
export async function loadMainConfig(path: string, limits?: Partial<YamlLimits>): Promise<MainConfigValidation> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch {
    return { diagnostics: [{ file: path, line: 1, col: 1, code: 'FILE_NOT_FOUND', message: 'the configuration file does not exist: check the path' }] };
  }
  return validateMainConfigSource(source, path, limits);
}
