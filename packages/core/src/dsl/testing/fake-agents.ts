import type { AgentDefinition, AgentLookup } from '../../agents/agent-definition.ts';
import { AgentRegistry } from '../../agents/agent-registry.ts';
import type { JsonSchema } from '../workflow-document.ts';

/** A test agent: only its contract matters to validation and compilation. */
export function fakeAgent(name: string, options: { input?: JsonSchema; output?: JsonSchema; estimateMs?: number } = {}): AgentDefinition {
  return {
    name,
    version: '1',
    description: `test agent ${name}`,
    inputSchema: options.input ?? { type: 'object' },
    outputSchema: options.output ?? {},
    estimateMs: options.estimateMs ?? 1000,
    run: async () => ({}),
  };
}

/** The agents of the blog example in issue 2, with small contracts, for validation tests. */
export function blogAgents(): AgentLookup {
  return new AgentRegistry([
    fakeAgent('ingest.markdown', { input: { type: 'object', additionalProperties: false, required: ['path'], properties: { path: { type: 'string' } } } }),
    fakeAgent('ingest.api_reference', { input: { type: 'object', properties: { dir: { type: 'string' } } } }),
    fakeAgent('ingest.blog_archive', { input: { type: 'object', properties: { dir: { type: 'string' } } } }),
    fakeAgent('writer.outline', {
      output: { type: 'object', properties: { sections: { type: 'array' }, title: { type: 'string' } } },
      estimateMs: 5000,
    }),
    fakeAgent('writer.section', {
      input: { type: 'object', additionalProperties: false, required: ['heading'], properties: { heading: { type: 'string' }, words: { type: 'integer' } } },
      estimateMs: 8000,
    }),
    fakeAgent('code.generate', { output: { type: 'object', properties: { blocks: { type: 'array' } } } }),
    fakeAgent('code.validate'),
    fakeAgent('writer.assemble', { output: { type: 'object', properties: { path: { type: 'string' } } } }),
  ]);
}

/** A workflow in the shape of the blog pipeline, valid against {@link blogAgents}. */
export const BLOG_WORKFLOW = `# yaml-language-server: $schema=../packages/core/schema/workflow.schema.json
version: 1
name: blog_generation
description: Turn a knowledge-base article into a blog post
inputs:
  source:   { type: string, required: true, description: path of the article }
  keywords: { type: array, items: { type: string }, default: [] }
config:
  parallel: true
  max_parallel: 5
  fail_fast: false
  timeout: 30m
  step_timeout: 2m
  retry: { attempts: 3, backoff: exponential, delay: 1s, max_delay: 30s }
state:
  sources: { reducer: append }
  flags:   { reducer: append, max: 100 }
  title:   { reducer: replace }
steps:
  kb_ingestion:   { agent: ingest.markdown, with: { path: "\${{ inputs.source }}" }, writes: [sources] }
  api_ingestion:  { agent: ingest.api_reference, with: { dir: docs/api }, writes: [sources] }
  blog_ingestion: { agent: ingest.blog_archive, with: { dir: posts }, writes: [sources] }
  outline:
    agent: writer.outline
    needs: [kb_ingestion, api_ingestion, blog_ingestion]
    writes: [title]
  section:
    agent: writer.section
    for_each: "\${{ steps.outline.output.sections }}"
    max_parallel: 4
    with: { heading: "\${{ item.title }}" }
  code_generation:
    agent: code.generate
    needs: [outline]
  code_validation:
    agent: code.validate
    needs: [code_generation]
    if: "\${{ steps.code_generation.output.blocks.length > 0 }}"
    timeout: 60s
    retry: { attempts: 1 }
    continue_on_error: true
  assemble:
    agent: writer.assemble
    needs: [section, code_validation]
outputs:
  post: "\${{ steps.assemble.output.path }}"
`;
