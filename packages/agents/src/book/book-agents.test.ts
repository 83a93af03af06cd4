import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { adapterClient, createFakeContext } from '../testing/fake-context.ts';
import { tempFiles } from '../testing/temp-files.ts';
import type { ProviderAdapter } from '../providers/provider-adapter.ts';
import { bookAssembleAgent } from './book-assemble.ts';
import { bookDraftAgent } from './book-draft.ts';
import { bookPlanAgent } from './book-plan.ts';
import { planFromOutline } from './chapter-plan.ts';
import { continuityFor, continuityText } from './continuity.ts';

const OUTLINE = fileURLToPath(new URL('../../../../examples/book/outline.md', import.meta.url));
const run = promisify(execFile);

describe('the chapter plan', () => {
  it('reads title, author, premise and one chapter per "## " heading with its summary, beats and names', async () => {
    const plan = planFromOutline(await readFile(OUTLINE, 'utf8'), 'x');
    expect(plan.title).toBe("The Cartographer's Daughter");
    expect(plan.author).toBe('The ucop project');
    expect(plan.chapters).toHaveLength(8);
    expect(plan.chapters[0]).toMatchObject({ index: 1, title: 'The Unfinished Map' });
    expect(plan.chapters[0]!.beats).toHaveLength(3);
    expect(plan.chapters[0]!.names).toEqual(expect.arrayContaining(['Nell', 'Tomas', 'Arlo', 'Kessing', 'Wend']));
  });

  it('an outline without chapters is a non-retryable error', async () => {
    const files = await tempFiles({ 'o.md': '# Title\n\nNo chapters.' });
    const { ctx, dispose } = await createFakeContext();
    await expect(bookPlanAgent.run(ctx, { path: files.path('o.md') })).rejects.toMatchObject({ code: 'AGENT_ERROR', retryable: false });
    await Promise.all([dispose(), files.remove()]);
  });
});

describe('continuity', () => {
  const plan = [
    { index: 1, title: 'One', summary: 'Nell finds the map.', beats: ['Arlo Finch is owed money.'], names: ['Nell', 'Arlo', 'Finch'] },
    { index: 2, title: 'Two', summary: 'Nell meets Joss.', beats: [], names: ['Nell', 'Joss'] },
    { index: 3, title: 'Three', summary: 'Ida arrives.', beats: [], names: ['Ida', 'Nell'] },
  ];

  it('from the plan: what each earlier chapter established, names already introduced, names new here', () => {
    const c = continuityFor(plan, 3, 0);
    expect(c.mode).toBe('plan');
    expect(c.established.map((e) => e.chapter)).toEqual([1, 2]);
    expect(c.introduced).toEqual(expect.arrayContaining([{ name: 'Nell', chapter: 1 }, { name: 'Joss', chapter: 2 }]));
    expect(c.new_names).toEqual(['Ida']);
    expect(continuityFor(plan, 1, 0).established).toEqual([]);
    // The window keeps only the last N chapters.
    expect(continuityFor(plan, 3, 1).established.map((e) => e.chapter)).toEqual([2]);
  });

  it('from the drafts: the previous chapter\'s ending and what was written join the plan', () => {
    const c = continuityFor(plan, 3, 0, [{ index: 2, title: 'Two', text: 'Nell met Joss at the ferry. They left at dawn.' }]);
    expect(c.mode).toBe('written');
    expect(c.previous_ending).toBe('Nell met Joss at the ferry. They left at dawn.');
    expect(continuityText(c)).toContain('The previous chapter ended');
  });
});

describe('drafting', () => {
  it('offline: drafted from the outline and plan only, marked offline', async () => {
    const plan = planFromOutline(await readFile(OUTLINE, 'utf8'), 'x');
    const { ctx, dispose, llmRequests } = await createFakeContext();
    const out = await bookDraftAgent.run(ctx, { chapter: plan.chapters[1]!, continuity: continuityFor(plan.chapters, 2, 0), title: plan.title });
    expect(out).toMatchObject({ index: 2, offline: true, provider: 'offline', continuity: 'plan' });
    expect(out.text).toContain('Arlo Finch');
    expect(llmRequests[0]!.prompt).toContain('Continuity');
    await dispose();
  });

  it('with a model: its answer is the chapter, not marked offline', async () => {
    const model: ProviderAdapter = { name: 'stub', model: 'm', offline: false, call: async () => ({ text: '## Two\n\nProse.', model: 'm', usage: { inputTokens: 1, outputTokens: 1 } }) };
    const { ctx, dispose } = await createFakeContext({ llm: adapterClient(model) });
    const out = await bookDraftAgent.run(ctx, { chapter: { index: 2, title: 'Two', summary: 's', beats: [], names: [] }, continuity: continuityFor([], 2, 0) });
    expect(out).toMatchObject({ text: 'Prose.', offline: false, provider: 'stub' });
    await dispose();
  });
});

describe('assembly', () => {
  it('writes the chapters, the markdown book with the offline note, and an EPUB that epubcheck accepts', async () => {
    const { ctx, dispose } = await createFakeContext();
    const chapter = (index: number) => ({ index, title: `T${index}`, text: `Text of chapter ${index} & more.\n\nA second paragraph.`, words: 9, offline: true, provider: 'offline', model: 'x', continuity: 'plan' as const });
    const out = await bookAssembleAgent.run(ctx, { title: 'Book', author: 'A', chapters: [chapter(2), chapter(1)], date: '2026-01-01T00:00:00Z' });
    expect(out.chapters).toHaveLength(2);
    const md = await readFile(out.markdown, 'utf8');
    expect(md).toContain('Drafted offline');
    expect(md.indexOf('Chapter 1: T1')).toBeLessThan(md.indexOf('Chapter 2: T2'));
    const epub = await readFile(out.epub);
    // The OCF container: a zip whose first entry is the uncompressed mimetype.
    expect(epub.subarray(0, 2).toString()).toBe('PK');
    expect(epub.subarray(30, 58).toString()).toBe('mimetypeapplication/epub+zip');
    const { stdout } = await run('unzip', ['-l', out.epub]).catch(() => ({ stdout: '' }));
    if (stdout !== '') expect(stdout).toMatch(/META-INF\/container\.xml[\s\S]*content\.opf/);
    // The same book and date give the same bytes (the verify parity check compares them).
    await new Promise((r) => setTimeout(r, 2100));
    const again = await bookAssembleAgent.run(ctx, { title: 'Book', author: 'A', chapters: [chapter(1), chapter(2)], date: '2026-01-01T00:00:00Z' });
    expect(Buffer.compare(await readFile(again.epub), epub)).toBe(0);
    await dispose();
  }, 30_000);
});
