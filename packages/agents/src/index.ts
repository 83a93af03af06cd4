/**
 * @ucop/agents — the built-in agents of the blog pipeline, the offline extractive writer, prompt
 * templates, the agent registry with plugin loading, and the LLM provider layer.
 *
 * @example
 * const registry = await createAgentRegistry({ plugins: ['./my-agent.ts'], baseDir: process.cwd() });
 * const offline = createOfflineAdapter();
 */

// LLM provider layer (configuration, adapters, router, resilience)
export * from './providers/index.ts';
export * from './llm/index.ts';
export * from './limits/index.ts';

// Registry and plugins
export { builtinAgents, type BuiltinAgentOptions } from './registry/builtin-agents.ts';
export { createAgentRegistry, type AgentRegistryOptions } from './registry/create-agent-registry.ts';
export { loadAgentPlugins, isFileSpec } from './registry/load-agent-plugins.ts';
export { agentShapeProblem, isAgentDefinition } from './registry/agent-shape.ts';

// Offline provider
export { createOfflineAdapter, OFFLINE_MODEL } from './offline/offline-adapter.ts';
export { writeExtractive, estimateTokens } from './offline/extractive-writer.ts';

// Prompts
export { renderPrompt, renderTemplate, promptPath, DEFAULT_PROMPTS_DIR, type RenderPromptOptions } from './prompts/template.ts';

// Sources shared through state
export { SOURCE_SCHEMA, toContextDocument, type Source, type SourceKind } from './sources/source.ts';
export { readSources } from './sources/read-sources.ts';

// Agents
export { ingestMarkdownAgent, type IngestMarkdownInput } from './ingest/ingest-markdown.ts';
export { ingestApiReferenceAgent, type IngestApiReferenceInput, type IngestApiReferenceOutput } from './ingest/ingest-api-reference.ts';
export { ingestBlogArchiveAgent, type IngestBlogArchiveInput, type IngestBlogArchiveOutput, type ArchivedPost } from './ingest/ingest-blog-archive.ts';
export { parseMarkdown } from './ingest/parse-markdown.ts';
export type { MarkdownDocument, Heading, CodeBlock, DocumentLink, DocumentSection, Paragraph } from './ingest/markdown-document.ts';
export type { ApiReference, ApiSymbol, ApiExample } from './ingest/api-reference.ts';
export { analyzeTopicsAgent, type AnalyzeTopicsInput, type AnalyzeTopicsOutput } from './analyze/analyze-topics.ts';
export { extractTopics, type Topic, type TopicOptions } from './analyze/extract-topics.ts';
export { createOutlineAgent, type WriterOutlineInput, type WriterOutlineOutput } from './writer/writer-outline.ts';
export { createIntroductionAgent, type WriterIntroductionInput } from './writer/writer-introduction.ts';
export { createSectionAgent, type WriterSectionInput } from './writer/writer-section.ts';
export { createConclusionAgent, type WriterConclusionInput } from './writer/writer-conclusion.ts';
export { parseOutline, type ParsedOutline } from './writer/parse-outline.ts';
export type { Outline, OutlineSection } from './writer/outline.ts';
export type { WrittenText } from './writer/written-text.ts';
export type { WriterOptions } from './writer/writer-options.ts';
export { codeGenerateAgent, type CodeGenerateInput, type CodeGenerateOutput } from './code/code-generate.ts';
export { codeValidateAgent, type CodeValidateInput, type CodeValidateOutput, type BlockReport } from './code/code-validate.ts';
export { validateBlock, type BlockVerdict } from './code/validate-block.ts';
export type { CodeExample } from './code/code-example.ts';
export { seoMetadataAgent, type SeoMetadataInput, type SeoMetadataOutput } from './seo/seo-metadata.ts';
export { assemblePostAgent, OFFLINE_NOTE, type AssemblePostInput, type AssemblePostOutput } from './assemble/assemble-post.ts';
export { linksCheckAgent, type LinksCheckInput, type LinksCheckOutput, type BrokenLink } from './links/links-check.ts';
