export type * from './agent-definition.ts';
export type * from './llm-client.ts';
export type * from './artifact-writer.ts';
export type * from './logger.ts';
export { AgentRegistry } from './agent-registry.ts';
export { createArtifactWriter } from './fs-artifact-writer.ts';
export type { ConsoleLogger, ConsoleLoggerOptions } from './console-logger.ts';
export { createLogger } from './console-logger.ts';
export { defineAgent } from './define-agent.ts';
