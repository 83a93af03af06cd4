import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { REPO_ROOT, runUcop } from './ucop-process.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ucop-e2e-generate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const ARTICLE = resolve(REPO_ROOT, 'examples/kb-article.md');

interface GenerateJson {
  status: string;
  generator: string | null;
  post: string | null;
  provider: { provider: string; reason: string } | null;
  usage?: { calls: number; offline: boolean; byProvider: Record<string, { calls: number }> };
  metrics: { speedup: number };
  steps: { total: number; succeeded: number; resumed: number };
}

describe('ucop generate (the real binary, offline)', () => {
  it('writes a real post from examples/ with no key and no network, and says it was written offline', async () => {
    const out = join(scratch, 'post');
    const result = await runUcop(['generate', '-i', 'examples/kb-article.md', '-o', out, '--keywords', 'retries,jitter']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Post written to ${join(out, 'post.md')}`);
    expect(result.stdout).toMatch(/Wall time \S+; speedup \d+\.\d\dx against running the same work one step after another/);
    expect(result.stdout).toMatch(/Provider usage: \d+ calls, \d+ input \+ \d+ output tokens, \$0\.0000/);
    expect(result.stdout).toContain('answered by: offline');
    expect(result.stdout).toContain('Written OFFLINE');
    expect(result.stdout).toContain(`Run record: ${join(out, 'run.json')}`);
    expect(result.stderr).toContain('Writing with offline');

    const post = readFileSync(join(out, 'post.md'), 'utf8');
    expect(post).toMatch(/^---\n/);
    expect(post).toContain('generator: offline');
    expect(post).toContain('written offline');
    expect(post).toContain('# Retrying HTTP calls safely with backoff and circuit breakers');
    // The user's keywords are in the post's metadata, next to the article's own.
    expect(post.slice(0, post.indexOf('\n---', 4))).toMatch(/keywords:\n(?: {2}- .*\n)* {2}- jitter\n/);
    // Built from the article: its sentences are in the post.
    expect(post).toContain('Connections reset, load balancers time out');
  });

  it('--json gives one document with the post, the provider and the usage; a second run resumes everything', async () => {
    const out = join(scratch, 'json');
    const first = await runUcop(['generate', '-i', ARTICLE, '-o', out, '--json']);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as GenerateJson;
    expect(summary.status).toBe('succeeded');
    expect(summary.post).toBe(join(out, 'post.md'));
    expect(summary.provider).toMatchObject({ provider: 'offline', reason: 'offline' });
    expect(summary.usage?.offline).toBe(true);
    expect(summary.usage?.calls).toBeGreaterThan(0);
    expect(summary.steps.resumed).toBe(0);
    const post = readFileSync(join(out, 'post.md'), 'utf8');

    const again = await runUcop(['generate', '-i', ARTICLE, '-o', out, '--json', '--resume']);
    expect(again.code).toBe(0);
    const resumed = JSON.parse(again.stdout) as GenerateJson;
    expect(resumed.steps.resumed).toBe(resumed.steps.total);
    expect(resumed.usage?.calls ?? 0).toBe(0);
    expect(resumed.generator).toBe('offline');
    expect(readFileSync(join(out, 'post.md'), 'utf8')).toBe(post);
  });

  it('works from any directory: the blog workflow is found relative to the installation', async () => {
    const cwd = mkdtempSync(join(scratch, 'elsewhere-'));
    const result = await runUcop(['generate', '-i', ARTICLE, '--quiet'], { cwd });
    expect(result.code).toBe(0);
    expect(existsSync(join(cwd, 'out/kb-article/post.md'))).toBe(true);
    expect(result.stdout).toContain('Post written to out/kb-article/post.md');
  });

  it('--dry-run renders every prompt and the plan without a model, and leaves no post', async () => {
    const out = join(scratch, 'dry');
    const result = await runUcop(['generate', '-i', ARTICLE, '-o', out, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Parallel groups');
    expect(result.stdout).toContain('Critical path:');
    expect(result.stdout).toMatch(/----- prompt 1 of \d+: outline/);
    expect(result.stdout).toMatch(/: section\[0\]/);
    expect(result.stdout).toMatch(/: conclusion/);
    expect(result.stdout).toMatch(/Dry run: \d+ prompts rendered, no model called/);
    const prompts = JSON.parse(readFileSync(join(out, 'dry-run/prompts.json'), 'utf8')) as { step: string; prompt: string }[];
    expect(prompts.map((p) => p.step)).toEqual(expect.arrayContaining(['outline', 'introduction', 'section', 'conclusion']));
    expect(existsSync(join(out, 'post.md'))).toBe(false);
    expect(existsSync(join(out, 'run.json'))).toBe(false);
  });

  it('a missing article and an unknown provider are bad usage (exit 2), as the README table says', async () => {
    const missing = await runUcop(['generate', '-i', join(scratch, 'nope.md'), '-o', join(scratch, 'x')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('USAGE');
    expect(missing.stderr).toContain('nope.md');
    const provider = await runUcop(['generate', '-i', ARTICLE, '-o', join(scratch, 'y'), '--provider', 'nosuch']);
    expect(provider.code).toBe(2);
    expect(provider.stderr).toContain('--provider nosuch');
    const keyless = await runUcop(['generate', '-i', ARTICLE, '-o', join(scratch, 'z'), '--provider', 'openai']);
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toContain('OPENAI_API_KEY');
  });

  it('generate without -i is bad usage', async () => {
    const result = await runUcop(['generate', '-o', join(scratch, 'w')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '-i, --input <article>'");
  });
});
