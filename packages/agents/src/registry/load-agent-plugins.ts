import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UcopError, type AgentDefinition } from '@ucop/core';
import { agentShapeProblem } from './agent-shape.ts';

/** Whether a plugin spec names a file (`./x.ts`, `../x.js`, `/abs/x.mjs`) rather than an npm package. */
export function isFileSpec(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || isAbsolute(spec) || /\.(m|c)?[jt]s$/.test(spec);
}

/**
 * The URL to import for a spec. Files resolve against `baseDir`; packages resolve from `baseDir` too (so a
 * project's own node_modules is used), falling back to this package's resolution for ESM-only packages
 * whose exports have no `require` condition.
 */
function importTarget(spec: string, baseDir: string): string {
  if (isFileSpec(spec)) return pathToFileURL(resolve(baseDir, spec)).href;
  try {
    return pathToFileURL(createRequire(join(baseDir, 'package.json')).resolve(spec)).href;
  } catch {
    return spec;
  }
}

function pluginError(spec: string, message: string, cause?: unknown): UcopError {
  return new UcopError('CONFIG_INVALID', `agent plugin "${spec}": ${message}`, { fields: { plugin: spec }, cause });
}

/**
 * Loads agent plugins: each spec is a local file (relative to `baseDir`) or an npm package name, imported
 * dynamically. A plugin module default-exports an AgentDefinition or an array of them. A module that
 * cannot be imported, or whose default export is not an agent, is CONFIG_INVALID naming the plugin.
 *
 * @example
 * const agents = await loadAgentPlugins(['./agents/summarise.ts', 'ucop-plugin-translate'], process.cwd());
 */
export async function loadAgentPlugins(specs: readonly string[], baseDir: string): Promise<AgentDefinition[]> {
  const out: AgentDefinition[] = [];
  for (const spec of specs) {
    let module: Record<string, unknown>;
    try {
      module = (await import(importTarget(spec, baseDir))) as Record<string, unknown>;
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw pluginError(spec, `cannot be loaded (${reason}); check the path (relative to ${baseDir}) or install the package`, error);
    }
    if (!('default' in module) || module.default === undefined) {
      throw pluginError(spec, 'has no default export; default-export an agent definition or an array of them');
    }
    const exported = module.default;
    const agents = Array.isArray(exported) ? exported : [exported];
    if (agents.length === 0) throw pluginError(spec, 'default-exports an empty array; export at least one agent');
    agents.forEach((agent, i) => {
      const problem = agentShapeProblem(agent);
      if (problem) throw pluginError(spec, `default export${Array.isArray(exported) ? ` [${i}]` : ''} is not an agent: ${problem}`);
    });
    out.push(...(agents as AgentDefinition[]));
  }
  return out;
}
