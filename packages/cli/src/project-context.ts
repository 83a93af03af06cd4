import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UcopError, loadMainConfig } from '@ucop/core';
import type { AgentRegistry, MainConfig } from '@ucop/core';
import { createAgentRegistry } from '@ucop/agents';
import type { CliIO } from './cli-io.ts';
import type { GlobalOptions } from './command-context.ts';

/**
 * The repository (or installation) root: three levels above packages/cli/src. `ucop generate` finds the
 * blog workflow, prompts and the embedded default configuration here, so it works from any directory.
 */
export const INSTALL_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where the main configuration came from, for `ucop config show`. */
export type ConfigOrigin = 'flag' | 'env' | 'cwd' | 'none';

/** The configuration a command runs with: the main config file, the providers file and the agents. */
export interface ProjectContext {
  /** Absolute path of the main configuration file, if one was found. */
  mainConfigPath: string | undefined;
  mainConfigOrigin: ConfigOrigin;
  mainConfig: MainConfig | undefined;
  /** Absolute path of the providers file, if one exists. */
  providersPath: string | undefined;
  agents: AgentRegistry;
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
    return { path, origin: chosen.origin };
  }
  const implicit = resolve(io.cwd, 'config/main.yaml');
  return existsSync(implicit) ? { path: implicit, origin: 'cwd' } : { path: undefined, origin: 'none' };
}

/**
 * The providers file: `providers.yaml` next to the main configuration, else `config/providers.yaml` in the
 * current directory, else the one shipped with the installation (the embedded defaults).
 */
export function findProvidersFile(cwd: string, mainConfigPath: string | undefined): string | undefined {
  const candidates = [
    ...(mainConfigPath ? [resolve(dirname(mainConfigPath), 'providers.yaml')] : []),
    resolve(cwd, 'config/providers.yaml'),
    resolve(INSTALL_ROOT, 'config/providers.yaml'),
  ];
  return candidates.find((path) => existsSync(path));
}

/** Loads the main configuration and builds the agent registry with the plugins it names. */
export async function loadProjectContext(io: Pick<CliIO, 'cwd' | 'env'>, globals: GlobalOptions): Promise<ProjectContext> {
  const found = findMainConfig(io, globals);
  const mainConfig = found.path ? await loadMainConfig(found.path) : undefined;
  // Plugin paths in the main configuration are relative to the file that names them.
  const baseDir = found.path ? dirname(found.path) : io.cwd;
  const agents = await createAgentRegistry({ plugins: mainConfig?.plugins ?? [], baseDir });
  return {
    mainConfigPath: found.path,
    mainConfigOrigin: found.origin,
    mainConfig,
    providersPath: findProvidersFile(io.cwd, found.path),
    agents,
  };
}

export function absolute(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}
