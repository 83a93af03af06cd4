import { createSimDelayAgent, simNoopAgent, type AgentDefinition, type InvocationRecorder, type SimDelayOptions } from '@ucop/core';
import { analyzeTopicsAgent } from '../analyze/analyze-topics.ts';
import { assemblePostAgent } from '../assemble/assemble-post.ts';
import { codeGenerateAgent } from '../code/code-generate.ts';
import { codeValidateAgent } from '../code/code-validate.ts';
import { ingestApiReferenceAgent } from '../ingest/ingest-api-reference.ts';
import { ingestBlogArchiveAgent } from '../ingest/ingest-blog-archive.ts';
import { ingestMarkdownAgent } from '../ingest/ingest-markdown.ts';
import { createLlmGenerateAgent } from '../llm/llm-generate.ts';
import { linksCheckAgent } from '../links/links-check.ts';
import { backlogAgents } from '../backlog/backlog-agents.ts';
import { bookAgents } from '../book/book-agents.ts';
import { manuscriptAgents } from '../manuscript/manuscript-agents.ts';
import { seoMetadataAgent } from '../seo/seo-metadata.ts';
import { createConclusionAgent } from '../writer/writer-conclusion.ts';
import { createIntroductionAgent } from '../writer/writer-introduction.ts';
import { createOutlineAgent } from '../writer/writer-outline.ts';
import { createSectionAgent } from '../writer/writer-section.ts';
import type { WriterOptions } from '../writer/writer-options.ts';

/** Options for the built-in agents. */
export interface BuiltinAgentOptions extends WriterOptions {
  /** Records every `sim.delay` invocation (tests and benchmarks). @default none */
  simRecorder?: InvocationRecorder;
  /** Options of core's `sim.delay` (its clock). @default {} */
  simDelay?: SimDelayOptions;
  /** The project directory: `llm.generate` reads `prompt_file` under its `prompts/` and `output_schema` files in it. @default process.cwd() */
  projectDir?: string;
}

// Agents are typed by their own input; the registry holds them by the common shape. `run` is a method,
// so the narrowing of its parameter is accepted here and checked at run time against `inputSchema`.
const widen = <I, O>(agent: AgentDefinition<I, O>): AgentDefinition => agent as unknown as AgentDefinition;

/**
 * Every agent ucop ships: the blog pipeline's, the manuscript editor's, the book generator's, the backlog
 * pipeline's, and core's simulation agents (`sim.delay`, `sim.noop`).
 */
export function builtinAgents(options: BuiltinAgentOptions = {}): AgentDefinition[] {
  const writer: WriterOptions = options.promptsDir === undefined ? {} : { promptsDir: options.promptsDir };
  return [
    widen(ingestMarkdownAgent),
    widen(ingestApiReferenceAgent),
    widen(ingestBlogArchiveAgent),
    widen(analyzeTopicsAgent),
    widen(createOutlineAgent(writer)),
    widen(createIntroductionAgent(writer)),
    widen(createSectionAgent(writer)),
    widen(createConclusionAgent(writer)),
    widen(codeGenerateAgent),
    widen(codeValidateAgent),
    widen(seoMetadataAgent),
    widen(assemblePostAgent),
    widen(linksCheckAgent),
    widen(createLlmGenerateAgent(options.projectDir === undefined ? {} : { projectDir: options.projectDir })),
    ...manuscriptAgents().map(widen),
    ...bookAgents().map(widen),
    ...backlogAgents().map(widen),
    widen(createSimDelayAgent(options.simRecorder, options.simDelay)),
    widen(simNoopAgent),
  ];
}
