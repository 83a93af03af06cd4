// The built-in `llm.generate` agent and its parts.
export { createLlmGenerateAgent } from './llm-generate.ts';
export type { LlmGenerateInput, LlmGenerateOptions, LlmGenerateText } from './llm-generate.ts';
export { structuredAnswer } from './structured-answer.ts';
export type { StructuredAnswer } from './structured-answer.ts';
export { loadOutputSchema, schemaErrors } from './output-schema.ts';
export { renderPromptSource } from './prompt-source.ts';
export type { PromptSource } from './prompt-source.ts';
