import { AgentRegistry } from '@ucop/core';
import { builtinAgents, type BuiltinAgentOptions } from './builtin-agents.ts';
import { loadAgentPlugins } from './load-agent-plugins.ts';
import { usePrecompiledValidators } from './precompiled-validators.ts';

export interface AgentRegistryOptions extends BuiltinAgentOptions {
  /** Plugin specs: local files (relative to `baseDir`) or npm package names. @default [] */
  plugins?: readonly string[];
  /** Directory plugin files and packages resolve from. @default process.cwd() */
  baseDir?: string;
}

/**
 * A core AgentRegistry holding the built-in agents and the configured plugins. A plugin that reuses a
 * built-in name is CONFIG_INVALID (the registry refuses duplicates rather than silently overriding).
 */
export async function createAgentRegistry(options: AgentRegistryOptions = {}): Promise<AgentRegistry> {
  usePrecompiledValidators();
  const registry = new AgentRegistry(builtinAgents(options));
  const plugins = await loadAgentPlugins(options.plugins ?? [], options.baseDir ?? process.cwd());
  for (const plugin of plugins) registry.register(plugin);
  return registry;
}
