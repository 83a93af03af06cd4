/**
 * `@ucop/agents/project`: what loading a project needs (the agent registry and the providers file), without
 * the provider runtime (router, limiters, stage policies, AI SDK adapters) that the main entry also exports.
 * Commands that only read a project (`validate`, `plan`, `graph`) start faster through it; the start-up
 * benchmark (tests/performance/startup.test.ts) measures them.
 */
export { createAgentRegistry } from './registry/create-agent-registry.ts';
export type { AgentRegistryOptions } from './registry/create-agent-registry.ts';
export { defaultProvidersConfig, loadProviderConfig } from './providers/provider-config.ts';
export type { ProvidersConfig } from './providers/provider-config.ts';
