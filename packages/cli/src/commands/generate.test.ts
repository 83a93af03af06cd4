import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import type { InputSpec } from '@ucop/core';
import { capturedIO } from '../cli-io.ts';
import { runCli } from '../program.ts';
import { articleInputs } from './generate.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-generate-inputs-'));
  mkdirSync(join(dir, 'with/api'), { recursive: true });
  mkdirSync(join(dir, 'with/posts'), { recursive: true });
  writeFileSync(join(dir, 'with/article.md'), '# A\n');
  mkdirSync(join(dir, 'without'), { recursive: true });
  writeFileSync(join(dir, 'without/article.md'), '# B\n');
  // A file named like the directory is not a directory.
  writeFileSync(join(dir, 'without/api'), 'not a directory');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const blogInputs: Record<string, InputSpec> = {
  source: { type: 'string', required: true },
  keywords: { type: 'array', items: { type: 'string' }, default: [] },
  api_dir: { type: 'string', default: '' },
  archive_dir: { type: 'string', default: '' },
};

describe('articleInputs', () => {
  it("passes the article's sibling api/ and posts/ directories when they exist", () => {
    const article = join(dir, 'with/article.md');
    expect(articleInputs({ inputs: blogInputs }, '/elsewhere', article, ['a', 'b'])).toEqual({
      source: article,
      keywords: ['a', 'b'],
      api_dir: join(dir, 'with/api'),
      archive_dir: join(dir, 'with/posts'),
    });
  });

  it("gives '' for missing directories, so those ingestion steps yield no sources", () => {
    const article = join(dir, 'without/article.md');
    expect(articleInputs({ inputs: blogInputs }, '/elsewhere', article, [])).toEqual({ source: article, keywords: [], api_dir: '', archive_dir: '' });
  });

  it('leaves out inputs the workflow does not declare', () => {
    const article = join(dir, 'with/article.md');
    expect(articleInputs({ inputs: { source: { type: 'string' } } }, '/elsewhere', article, ['x'])).toEqual({ source: article });
  });
});

describe('ucop generate --trace', () => {
  it('writes the spans of the run, like ucop run --trace', async () => {
    const out = join(dir, 'traced');
    const io = capturedIO({ cwd: resolve(import.meta.dirname, '../../../..') });
    expect(await runCli(['generate', '-i', 'examples/kb-article.md', '-o', out, '--trace', '--quiet'], io)).toBe(0);
    const trace = JSON.parse(readFileSync(join(out, 'trace.json'), 'utf8')) as { spans: { name: string; attributes: Record<string, unknown> }[] };
    expect(trace.spans[0]).toMatchObject({ name: 'run blog_generation', attributes: { workflow: 'blog_generation', status: 'succeeded' } });
    expect(trace.spans.filter((s) => s.name === 'step.attempt').map((s) => s.attributes['step'])).toContain('outline');
  });
});

describe('generate takes the engine flags run takes, and -q silences the notices', () => {
  it('--engine, --max-parallel and --timeout reach the run', async () => {
    const out = join(dir, 'flags');
    const io = capturedIO({ cwd: resolve(import.meta.dirname, '../../../..') });
    const code = await runCli(['generate', '-i', 'examples/kb-article.md', '-o', out, '--engine', 'sequential', '--timeout', '1m', '--json'], io);
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout.text())).toMatchObject({ engine: 'sequential', maxParallel: 1, status: 'succeeded' });
    const io2 = capturedIO({ cwd: resolve(import.meta.dirname, '../../../..') });
    expect(await runCli(['generate', '-i', 'examples/kb-article.md', '-o', join(dir, 'flags2'), '--max-parallel', '2', '--json'], io2)).toBe(0);
    expect(JSON.parse(io2.stdout.text())).toMatchObject({ engine: 'parallel', maxParallel: 2 });
  });

  it('-q leaves out the offline notice and its advice, not the fact of who answered', async () => {
    const cwd = resolve(import.meta.dirname, '../../../..');
    const loud = capturedIO({ cwd });
    expect(await runCli(['generate', '-i', 'examples/kb-article.md', '-o', join(dir, 'loud')], loud)).toBe(0);
    expect(loud.stdout.text()).toContain('Written OFFLINE');
    const quiet = capturedIO({ cwd });
    expect(await runCli(['generate', '-i', 'examples/kb-article.md', '-o', join(dir, 'quiet'), '-q'], quiet)).toBe(0);
    expect(quiet.stdout.text()).not.toContain('Written OFFLINE');
    expect(quiet.stdout.text()).not.toContain('Configure a provider');
    expect(quiet.stdout.text()).toContain('answered by: offline');
    expect(quiet.stderr.text()).toBe('');
  });
});
