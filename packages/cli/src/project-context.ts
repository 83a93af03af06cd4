import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { FILE_LIMIT_SETTINGS, UcopError, redactString, registerSecret, describeLimitSetting, fileLimitsFromEnv, fileLimitsLayer, loadMainConfig, resolveFileLimits } from '@ucop/core';
import type { AgentRegistry, FileLimits, MainConfig } from '@ucop/core';
// The narrow entry: loading a project must not load the provider runtime (start-up of validate, plan, graph).
import { createAgentRegistry, defaultProvidersConfig, loadProviderConfig } from '@ucop/agents/project';
import type { ProvidersConfig } from '@ucop/agents/project';
import type { CliIO } from './cli-io.ts';
import { maskConsoleWith } from './redacting-output.ts';
import type { GlobalOptions } from './command-context.ts';
import { INSTALL_ROOT } from './install-root.ts';

export { INSTALL_ROOT } from './install-root.ts';

/** How the main configuration was found, for `ucop config show`. */
export type ConfigOrigin = 'flag' | 'env' | 'cwd' | 'none';

/** The configuration a command runs with: the main config file, the providers file and the agents. */
export interface ProjectContext {
  /** Absolute path of the main configuration file, if one was found. */
  mainConfigPath: string | undefined;
  mainConfigOrigin: ConfigOrigin;
  mainConfig: MainConfig | undefined;
  /** Absolute path of the providers file, if one exists. */
  providersPath: string | undefined;
  /** The providers file, validated (only the offline writer without one). */
  providers: ProvidersConfig;
  agents: AgentRegistry;
  /** The size limits of workflow and configuration files (flag, UCOP_* variable, config/main.yaml, default). */
  fileLimits: FileLimits;
  /**
   * The values of every provider key (the variables `api_key_env` names) and of the variables `secrets:` in
   * config/main.yaml lists, as set in the environment: masked in records, logs, the console and traces.
   */
  secrets: string[];
}

/**
 * Finds the main configuration: `--config path`, else `UCOP_CONFIG`, else `config/main.yaml` in the current
 * directory when it exists. A path given explicitly must exist; the implicit one is optional.
 */
export function findMainConfig(io: Pick<CliIO, 'cwd' | 'env'>, globals: GlobalOptions): { path: string | undefined; origin: ConfigOrigin } {
  const explicit = globals.config !== undefined ? { path: globals.config, origin: 'flag' as const } : undefined;
  const fromEnv = io.env['UCOP_CONFIG'] ? { path: io.env['UCOP_CONFIG'], origin: 'env' as const } : undefined;
  const chosen = explicit ?? fromEnv;
  if (chosen) {
    const path = absolute(io.cwd, chosen.path);
    if (!existsSync(path)) {
      const how = chosen.origin === 'flag' ? '--config' : 'UCOP_CONFIG';
      throw new UcopError('FILE_NOT_FOUND', `configuration file ${path} (from ${how}) does not exist: fix the path or create the file`, {
        fields: { path },
      });
    }
    if (statSync(path).isDirectory()) {
      const how = chosen.origin === 'flag' ? '--config' : 'UCOP_CONFIG';
      // A wrong flag is bad usage; a wrong variable is a configuration problem of the environment.
      throw new UcopError(chosen.origin === 'flag' ? 'USAGE' : 'CONFIG_INVALID', `${how} ${chosen.path} is a directory: give the main configuration file, e.g. ${join(chosen.path, 'main.yaml')}`, {
        fields: { path },
      });
    }
    return { path, origin: chosen.origin };
  }
  const implicit = resolve(io.cwd, 'config/main.yaml');
  return existsSync(implicit) ? { path: implicit, origin: 'cwd' } : { path: undefined, origin: 'none' };
}

/**
 * The providers file: the one the main configuration names (`providers_file`, relative to it; it must
 * exist), else `providers.yaml` next to the main configuration, else `config/providers.yaml` in the current
 * directory, else the one shipped with the installation. Undefined means "offline only".
 */
export function findProvidersFile(cwd: string, mainConfig: MainConfig | undefined): string | undefined {
  if (mainConfig?.providers_file !== undefined) {
    const named = resolve(mainConfig.dir, mainConfig.providers_file);
    if (!existsSync(named)) {
      throw new UcopError('FILE_NOT_FOUND', `${mainConfig.file}: providers_file ${named} does not exist: fix the path or remove the key`, {
        fields: { path: named },
      });
    }
    return named;
  }
  const candidates = [
    ...(mainConfig ? [resolve(mainConfig.dir, 'providers.yaml')] : []),
    resolve(cwd, 'config/providers.yaml'),
    resolve(INSTALL_ROOT, 'config/providers.yaml'),
  ];
  return candidates.find((path) => existsSync(path));
}

/**
 * Loads the main configuration and the providers file (every problem of either reported at once, exit 3:
 * a broken configuration is reported by whichever command meets it first, `ucop config show` included) and
 * builds the agent registry with the plugins it names, relative to the configuration file.
 */
export async function loadProjectContext(io: Pick<CliIO, 'cwd' | 'env'> & { signal?: AbortSignal }, globals: GlobalOptions): Promise<ProjectContext> {
  const flagLimits = fileLimitsLayer({ workflowBytes: globals.maxWorkflowBytes, configBytes: globals.maxConfigBytes }, 'flag');
  const envLimits = fileLimitsFromEnv(io.env);
  const signal = io.signal ? { signal: io.signal } : {};
  const found = findMainConfig(io, globals);
  let mainConfig: MainConfig | undefined;
  if (found.path) {
    // The main configuration's own limit cannot come from the file it limits.
    const own = FILE_LIMIT_SETTINGS.configBytes;
    const validation = await loadMainConfig(found.path, undefined, { maxBytes: resolveFileLimits(flagLimits, envLimits).configBytes, limitSetting: `${own.flag} or ${own.env}`, ...signal });
    if (!validation.config) {
      const first = validation.diagnostics[0];
      throw new UcopError(first?.code ?? 'CONFIG_INVALID', `${found.path}: the configuration is invalid`, {
        fields: { diagnostics: validation.diagnostics },
      });
    }
    mainConfig = validation.config;
  }
  const providersPath = findProvidersFile(io.cwd, mainConfig);
  const fileLimits = resolveFileLimits(flagLimits, envLimits, mainConfig?.limits);
  const providers = providersPath
    ? await loadProviderConfig(providersPath, { maxBytes: fileLimits.configBytes, limitSetting: describeLimitSetting('configBytes'), ...signal })
    : defaultProvidersConfig();
  const secrets = secretValues(io.env, [...providers.providers.map((p) => p.apiKeyEnv), ...(mainConfig?.secrets ?? [])]);
  // Process-wide, so that the console output and the trace mask them from now on (see runCli).
  for (const value of secrets) registerSecret(value);
  maskConsoleWith(redactString);
  const agents = await createAgentRegistry({ plugins: mainConfig?.agents.plugins ?? [], baseDir: mainConfig?.dir ?? io.cwd, projectDir: io.cwd });
  return {
    mainConfigPath: found.path,
    mainConfigOrigin: found.origin,
    mainConfig,
    providersPath,
    providers,
    agents,
    fileLimits,
    secrets,
  };
}

/** The values of the named variables that are set (each once). */
function secretValues(env: Readonly<Record<string, string | undefined>>, names: readonly (string | undefined)[]): string[] {
  const values = new Set<string>();
  for (const name of names) {
    const value = name === undefined ? undefined : env[name];
    if (value !== undefined && value.trim() !== '') values.add(value);
  }
  return [...values];
}

export function absolute(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** A path as the user would type it: relative to the current directory when inside it. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * A path to hand to code that resolves against the process's directory (the workflow loader, agents), spelt
 * as the user wrote it so that messages show the same path: kept as given when absolute or when the command's
 * directory is the process's (always, for the binary), else made absolute (tests that drive another cwd).
 */
export function pathForProcess(cwd: string, path: string): string {
  return isAbsolute(path) || cwd === process.cwd() ? path : resolve(cwd, path);
}
