import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compileWorkflow, formatDiagnostic, loadWorkflowFile, runWorkflow, type AgentRegistry, type CompiledPlan, type RunResult } from '@ucop/core';
import { createOfflineAdapter } from '../offline/offline-adapter.ts';
import { createAgentRegistry } from '../registry/create-agent-registry.ts';
import { adapterClient } from '../testing/fake-context.ts';
import { tempFiles, type TempFiles } from '../testing/temp-files.ts';

// The shipped workflow, run by core's engine on the shipped examples, offline: what `ucop generate` does.
const repo = (path: string): string => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));

let agents: AgentRegistry;
let plan: CompiledPlan;
let files: TempFiles | undefined;

beforeAll(async () => {
  agents = await createAgentRegistry();
  const loaded = await loadWorkflowFile(repo('workflows/blog_generation.yaml'), { agents });
  if (!loaded.workflow) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  plan = compileWorkflow(loaded.workflow, { agents });
});

afterEach(async () => {
  await files?.remove();
  files = undefined;
});

async function generate(inputs: Record<string, unknown>, outDir: string, engine: 'parallel' | 'sequential' = 'parallel'): Promise<RunResult & { post: string }> {
  const result = await runWorkflow(plan, { inputs, agents, outDir, engine, llm: adapterClient(createOfflineAdapter()) });
  const path = result.outputs.post;
  return { ...result, post: typeof path === 'string' ? await readFile(path, 'utf8') : '' };
}

const step = (result: RunResult, id: string) => result.record.steps.find((s) => s.id === id && s.itemIndex === undefined);

describe('workflows/blog_generation.yaml', () => {
  it('validates against the built-in agents', async () => {
    const loaded = await loadWorkflowFile(repo('workflows/blog_generation.yaml'), { agents });
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([]);
  });

  it('writes a real post from the examples, offline, with references and archive', async () => {
    files = await tempFiles();
    const result = await generate({ source: repo('examples/kb-article.md'), api_dir: repo('examples/api'), archive_dir: repo('examples/posts') }, files.path('out'));
    expect(result.record.status).toBe('succeeded');
    expect(result.record.steps.filter((s) => s.status !== 'succeeded').map((s) => s.id)).toEqual([]);
    const post = result.post;
    expect(post).toMatch(/^---\ntitle: Retrying HTTP calls safely with backoff and circuit breakers\n/);
    expect(post).toContain('\ngenerator: offline\n');
    expect(post).toContain('> **Note:** this draft was written offline.');
    for (const heading of ['Which failures to retry', 'Exponential backoff with jitter', 'Honouring Retry-After', 'Stopping with a circuit breaker', 'Configuring the client']) {
      expect(post).toContain(`\n## ${heading}\n`);
    }
    expect(post).toContain('Jitter spreads the retries out by choosing a random delay between zero and the exponential value.');
    expect(post).toContain('```json\n{\n  "maxAttempts": 3,');
    expect(post).toContain('## Further reading');
    // Relative links were re-based onto the output directory, and every one resolves (links.check flags none).
    const linkCheck = JSON.parse(await readFile(files.path('out/steps/link_check.json'), 'utf8')) as { output: { checked: number; broken: unknown[] } };
    expect(linkCheck.output.checked).toBeGreaterThanOrEqual(7);
    expect(linkCheck.output.broken).toEqual([]);
    expect(step(result, 'code_validation')?.status).toBe('succeeded');
    expect(result.state.flags).toEqual([]);
    expect((result.state.sources as unknown[]).length).toBeGreaterThan(10);
    expect(result.state.title).toBe('Retrying HTTP calls safely with backoff and circuit breakers');
  });

  it('works from the article alone when the optional directories are not given', async () => {
    files = await tempFiles();
    const result = await generate({ source: repo('examples/kb-article.md') }, files.path('out'));
    expect(result.record.status).toBe('succeeded');
    expect(result.post).toContain('## Stopping with a circuit breaker');
    expect(result.post).not.toContain('## Further reading');
    expect(result.post).not.toContain('## Code examples');
  });

  it('gives the same post with the parallel and the sequential engine', async () => {
    files = await tempFiles();
    const inputs = { source: repo('examples/kb-article.md'), api_dir: repo('examples/api'), archive_dir: repo('examples/posts') };
    const parallel = await generate(inputs, files.path('parallel'));
    const sequential = await generate(inputs, files.path('sequential'), 'sequential');
    expect(sequential.post).toBe(parallel.post);
  });

  it('reports broken code with its block and line without failing the run', async () => {
    files = await tempFiles({
      'article.md': '# Broken\n\nAn article with broken code in it. It still becomes a post.\n\n## Config\n\nThe settings file looks like this one.\n\n```json\n{\n  "a": 1,\n}\n```\n',
    });
    const result = await generate({ source: files.path('article.md') }, files.path('out'));
    expect(result.record.status).toBe('succeeded');
    const validation = step(result, 'code_validation');
    expect(validation?.status).toBe('failed');
    expect(validation?.error?.code).toBe('AGENT_ERROR');
    expect(validation?.error?.message).toContain('code block 0 (json)');
    expect(validation?.error?.message).toContain('line 3, col 1 (file line 12)');
    expect(step(result, 'assemble')?.status).toBe('succeeded');
    expect(result.post).toContain('## Config');
  });
});
