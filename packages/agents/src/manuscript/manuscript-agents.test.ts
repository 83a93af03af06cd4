import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adapterClient, createFakeContext } from '../testing/fake-context.ts';
import { tempFiles } from '../testing/temp-files.ts';
import type { ProviderAdapter } from '../providers/provider-adapter.ts';
import { applyFixes } from './apply-fixes.ts';
import { analyseBook, analyseChapter, repeatedWords } from './chapter-analysis.ts';
import { crossChapterFlags } from './cross-checks.ts';
import { manuscriptAssembleAgent } from './manuscript-assemble.ts';
import { manuscriptCheckAgent } from './manuscript-check.ts';
import { manuscriptExpandAgent } from './manuscript-expand.ts';
import { manuscriptFixAgent } from './manuscript-fix.ts';
import { manuscriptSplitAgent } from './manuscript-split.ts';
import { polishText } from './polish-text.ts';
import { proseSentences } from './prose.ts';
import { splitManuscript } from './split-manuscript.ts';

const EXAMPLE = fileURLToPath(new URL('../../../../examples/manuscript/keeper-of-skarholm.md', import.meta.url));
const signal = new AbortController().signal;

const chapter = (index: number, text: string) => ({ index, title: `Chapter ${index}`, text });

describe('splitting a manuscript', () => {
  it('one file: the level-1 heading is the title, each level-2 heading a chapter, the text between them front matter', () => {
    const out = splitManuscript('# Book\n\nA note.\n\n## One\n\nFirst.\n\n```\n## not a chapter\n```\n\n## Two\n\nSecond.\n');
    expect(out.title).toBe('Book');
    expect(out.front).toBe('A note.');
    expect(out.chapters.map((c) => c.title)).toEqual(['One', 'Two']);
    expect(out.chapters[0]!.text).toContain('## not a chapter');
  });

  it('a directory: one chapter per file in name order, titled by its heading', async () => {
    const files = await tempFiles({ 'b/02.md': '# Second\n\nTwo.', 'b/01.md': '# First\n\nOne.', 'b/03.md': 'No heading here.' });
    const { ctx, dispose } = await createFakeContext();
    const out = await manuscriptSplitAgent.run(ctx, { path: files.path('b') });
    expect(out.chapters.map((c) => [c.index, c.title])).toEqual([[1, 'First'], [2, 'Second'], [3, '03']]);
    await Promise.all([dispose(), files.remove()]);
  });

  it('fewer chapters than min_chapters is a non-retryable error that says how to mark chapters', async () => {
    const files = await tempFiles({ 'flat.md': 'Just prose, no headings.' });
    const { ctx, dispose } = await createFakeContext();
    await expect(manuscriptSplitAgent.run(ctx, { path: files.path('flat.md'), min_chapters: 2 })).rejects.toMatchObject({ code: 'AGENT_ERROR', retryable: false });
    await Promise.all([dispose(), files.remove()]);
  });
});

describe('analysis', () => {
  it('finds names (capitalised inside a sentence), doubled words, long sentences and readability', () => {
    const a = analyseChapter(chapter(1, `Then Ada met Bram at the the mill. Ada laughed. Long ${'alpha beta gamma '.repeat(15)}end.`), 40);
    expect(a.names).toEqual({ Ada: 2, Bram: 1 });
    expect(a.repeated_words.map((r) => r.word)).toEqual(['the']);
    expect(a.long_sentences).toHaveLength(1);
    expect(a.readability.sentences).toBe(3);
    expect(a.readability.flesch_reading_ease).toBeGreaterThan(0);
  });

  it('doubling English allows, and words apart, are not doubled words', () => {
    expect(repeatedWords('She had had enough; born in 1868, in the cottage.')).toEqual([]);
  });

  it('dates and counts are stated about the nearest name; time spans are not facts', () => {
    const a = analyseChapter(chapter(1, 'We knew Ada Brook was born in 1868. The tower at Skarholm had 212 steps. Ada waited three years.'));
    expect(a.facts.map((f) => `${f.subject}/${f.attribute}/${f.value}`)).toEqual(['Ada/born/1868', 'Skarholm/steps/212']);
  });
});

describe('cross-chapter checks and fixes on the example manuscript', () => {
  it('find exactly the planted problems: two name variants, a birth year, a count', async () => {
    const { chapters } = splitManuscript(await readFile(EXAMPLE, 'utf8'));
    expect(chapters.length).toBeGreaterThanOrEqual(15);
    const polished = chapters.map((c) => ({ ...c, text: polishText(c.text).text }));
    const flags = crossChapterFlags(analyseBook(polished, signal), new Map(polished.map((c) => [c.index, proseSentences(c.text)])));
    expect(flags.map((f) => [f.kind, f.chapter, f.target, f.found, f.expected])).toEqual([
      ['name_variant', 8, 1, 'Edwin', 'Edvin'],
      ['date_conflict', 10, 2, '1871', '1868'],
      ['name_variant', 12, 1, 'Brenmouth', 'Brennmouth'],
      ['number_conflict', 13, 4, '221', '212'],
    ]);
    expect(flags[1]!.evidence).toContain('born in 1871');
    expect(flags[1]!.established).toContain('born in 1868');

    // Fixing each chapter and checking again leaves nothing open.
    const fixed = polished.map((c) => ({ ...c, text: applyFixes(c.text, flags.filter((f) => f.chapter === c.index)).text }));
    expect(crossChapterFlags(analyseBook(fixed, signal), new Map(fixed.map((c) => [c.index, proseSentences(c.text)])))).toEqual([]);
    expect(fixed[12]!.text).toContain('Skarholm had 212 steps');
  });

  it('a count stated twice in the chapter is not changed: the fix says it was left for the editor', () => {
    const flag = { id: 'number_conflict:2:Ada:cats', kind: 'number_conflict' as const, chapter: 2, target: 1, found: 'three', expected: '2', evidence: '', established: '', message: 'm' };
    const out = applyFixes('Ada had three cats. Later Ada had three cats again.', [flag]);
    expect(out.outcomes[0]).toMatchObject({ applied: false });
    expect(out.text).toContain('three cats');
    expect(applyFixes('Ada had three cats.', [flag]).text).toBe('Ada had two cats.');
    expect(applyFixes('Ada had three cats.', [flag], 'report').outcomes[0]!.applied).toBe(false);
  });

  it('the check agent groups flags by chapter and keeps the guard on open flags', async () => {
    const { ctx, dispose } = await createFakeContext();
    const chapters = [chapter(1, 'Then Edvin came. Then Edvin left. Then Edvin slept.'), chapter(2, 'Then Edwin came back.')];
    const out = await manuscriptCheckAgent.run(ctx, { chapters });
    expect(out.flagged.map((f) => f.chapter.index)).toEqual([2]);
    await expect(manuscriptCheckAgent.run(ctx, { chapters, max_flags: 0 + 1, overrides: [] })).resolves.toBeDefined();
    const many = Array.from({ length: 3 }, (_, i) => chapter(i + 2, 'Then Edwin came back.'));
    await expect(manuscriptCheckAgent.run(ctx, { chapters: [chapters[0]!, ...many], max_flags: 2 })).rejects.toMatchObject({ code: 'AGENT_ERROR' });
    // An override replaces the chapter of its index: the fixed chapter is clean.
    const fix = await manuscriptFixAgent.run(ctx, { chapter: chapters[1]!, flags: out.flags });
    expect(fix).toMatchObject({ applied: 1, left: 0, text: 'Then Edvin came back.' });
    expect((await manuscriptCheckAgent.run(ctx, { chapters, overrides: [fix] })).flags).toEqual([]);
    await dispose();
  });
});

describe('polish', () => {
  it('curly quotes, dashes, ellipses, spacing and doubled words; code is untouched', () => {
    const out = polishText('"Come in," she said -- it\'s late...  the the end .\n\n\n\n`a -- b`');
    expect(out.text).toBe('“Come in,” she said—it’s late… the end.\n\n`a -- b`');
    expect(out.changes).toMatchObject({ dashes: 1, ellipses: 1, repeated_words: 1 });
  });
});

describe('expansion', () => {
  it('offline it never invents prose: the chapter is unchanged and the note says why', async () => {
    const { ctx, dispose } = await createFakeContext();
    const c = chapter(1, 'Short.');
    const out = await manuscriptExpandAgent.run(ctx, { chapter: c, min_words: 100 });
    expect(out).toMatchObject({ text: 'Short.', expanded: false, offline: true });
    expect(out.note).toMatch(/expansion needs a model/);
    await dispose();
  });

  it('with a model, a short chapter is replaced by its answer; a long one is not sent', async () => {
    const model: ProviderAdapter = { name: 'stub', model: 'm', offline: false, call: async () => ({ text: 'A longer chapter.', model: 'm', usage: { inputTokens: 1, outputTokens: 1 } }) };
    const requests: unknown[] = [];
    const { ctx, dispose } = await createFakeContext({ llm: adapterClient(model, requests as never[]) });
    expect(await manuscriptExpandAgent.run(ctx, { chapter: chapter(1, 'Short.'), min_words: 100 })).toMatchObject({ text: 'A longer chapter.', expanded: true, provider: 'stub' });
    expect(await manuscriptExpandAgent.run(ctx, { chapter: chapter(2, 'Long enough here.'), min_words: 2 })).toMatchObject({ expanded: false });
    expect(requests).toHaveLength(1);
    await dispose();
  });
});

describe('assembly', () => {
  it('writes the manuscript with the fixed chapters in place and a report per chapter', async () => {
    const { ctx, outDir, dispose } = await createFakeContext();
    const flag = { id: 'name_variant:2:Edwin', kind: 'name_variant' as const, chapter: 2, target: 1, found: 'Edwin', expected: 'Edvin', evidence: 'Then Edwin came back.', established: 'e', message: 'chapter 2 spells "Edwin"' };
    const out = await manuscriptAssembleAgent.run(ctx, {
      title: 'Book',
      chapters: [chapter(1, 'Then Edvin came.'), chapter(2, 'Then Edwin came back.')],
      fixed: [{ ...chapter(2, 'Then Edvin came back.'), fixes: [{ flag: flag.id, applied: true, detail: '"Edwin" → "Edvin" (1x)' }], applied: 1, left: 0 }],
      flags: [flag],
      expansions: [{ index: 1, note: 'not expanded: expansion needs a model', offline: true }],
    });
    expect(out).toMatchObject({ chapters: 2, flags_found: 1, flags_fixed: 1, flags_open: 0, offline: true });
    const book = await readFile(`${outDir}/manuscript.md`, 'utf8');
    expect(book).toBe('# Book\n\n## Chapter 1\n\nThen Edvin came.\n\n## Chapter 2\n\nThen Edvin came back.\n');
    const report = await readFile(out.report, 'utf8');
    expect(report).toContain('## Chapter 2');
    expect(report).toContain('fixed: "Edwin" → "Edvin"');
    expect(report).toContain('does not invent prose');
    await dispose();
  });
});
