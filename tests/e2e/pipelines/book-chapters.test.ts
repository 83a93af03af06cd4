import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStubLlmServer, type StubLlmServer } from '../../../packages/agents/src/providers/testing/stub-llm-server.ts';
import { collect, runUcop, spawnUcop } from '../cli/ucop-process.ts';
import { pipelineProject, readRecord, stubProvidersYaml, type PipelineProject } from './pipeline-project.ts';

const run = promisify(execFile);
const OUTLINE = 'examples/book/outline.md';
/** Debian's epubcheck package (`apt-get install epubcheck`) installs the jar here. */
const EPUBCHECK_JAR = '/usr/share/java/epubcheck.jar';

let project: PipelineProject | undefined;
afterEach(() => project?.remove());

/**
 * epubcheck when it is installed (.ci/run installs it, and in CI its absence fails the test); elsewhere
 * without it, the OCF structure is checked (zip, first entry the stored mimetype, container, package
 * document, navigation) and the test says so.
 */
async function expectValidEpub(path: string): Promise<void> {
  if (process.env['CI'] && !existsSync(EPUBCHECK_JAR)) throw new Error(`epubcheck is required in CI (${EPUBCHECK_JAR}): apt-get install epubcheck`);
  if (existsSync(EPUBCHECK_JAR)) {
    const { stdout } = await run('java', ['-jar', EPUBCHECK_JAR, path]);
    expect(stdout).toContain('No errors or warnings detected');
    return;
  }
  console.warn(`epubcheck is not installed (${EPUBCHECK_JAR}): checking the EPUB's structure only`);
  const { stdout } = await run('unzip', ['-Z1', path]);
  const entries = stdout.trim().split('\n');
  expect(entries[0]).toBe('mimetype');
  expect(entries).toEqual(expect.arrayContaining(['META-INF/container.xml', 'OEBPS/content.opf', 'OEBPS/toc.xhtml']));
}

describe('workflows/book_chapters.yaml, offline from a fresh copy', () => {
  it('drafts every chapter from the outline (marked offline), writes the book as markdown and a valid EPUB', async () => {
    project = pipelineProject();
    const result = await runUcop(['run', 'workflows/book_chapters.yaml', '-i', `outline=${OUTLINE}`, '-o', 'out/book', '--quiet'], { cwd: project.dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`book: ${project.path('out/book/book.md')}`);
    expect(result.stdout).toContain(`epub: ${project.path('out/book/book.epub')}`);
    expect(readRecord(project.path('out/book')).outputs).toMatchObject({ offline_chapters: 8 });
    expect(readdirSync(project.path('out/book/chapters'))).toHaveLength(8);
    const book = project.read('out/book/book.md');
    expect(book).toContain('Drafted offline');
    expect(book).toContain('## Chapter 8: The Finished Map');
    expect(book).toContain('Joss Aldren was born there.');
    expect(project.read('out/book/chapters/01-the-unfinished-map.md')).toContain('offline: true');
    await expectValidEpub(project.path('out/book/book.epub'));
  }, 60_000);

  it('continuity=written redrafts each chapter knowing the earlier drafts', async () => {
    project = pipelineProject();
    const result = await runUcop(['run', 'workflows/book_chapters.yaml', '-i', `outline=${OUTLINE}`, '-i', 'continuity=written', '-i', 'chapters=3', '-o', 'out/w', '--quiet'], { cwd: project.dir });
    expect(result.code).toBe(0);
    const record = readRecord(project.path('out/w'));
    expect(record.steps.filter((s) => /^rewrite\[\d\]\.draft$/.test(s.id) && s.status === 'succeeded')).toHaveLength(3);
    expect(project.read('out/w/chapters/03-the-ferryman.md')).toContain('continuity: written');
  }, 60_000);
});

describe('workflows/book_chapters.yaml with a provider (the stub OpenAI-compatible server)', () => {
  let stub: StubLlmServer;
  let delayMs = 0;
  beforeAll(async () => {
    stub = await startStubLlmServer({ behaviour: () => ({ kind: 'ok', text: 'Nell unrolled the map and the river light fell across it.', delayMs }) });
  });
  afterAll(() => stub.close());
  afterEach(() => {
    stub.reset();
    delayMs = 0;
  });

  it('SIGKILL in the middle of the chapters, then --resume: only the unfinished chapters are drafted again', async () => {
    delayMs = 400;
    project = pipelineProject(stubProvidersYaml(stub.baseUrl));
    const args = ['run', 'workflows/book_chapters.yaml', '-i', `outline=${OUTLINE}`, '-o', 'out/k', '--quiet'];
    const child = spawnUcop(args, { cwd: project.dir });
    const done = collect(child);
    const finished = () => {
      try {
        return readRecord(project!.path('out/k')).steps.filter((s) => /^chapter\[\d\]\.draft$/.test(s.id) && s.status === 'succeeded').length;
      } catch {
        return 0;
      }
    };
    while (finished() < 3) await sleep(20);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const before = stub.completions().length;
    const doneBefore = finished();
    delayMs = 0;
    const resumed = await runUcop([...args, '--resume'], { cwd: project.dir });
    expect(resumed.code).toBe(0);
    const record = readRecord(project.path('out/k'));
    const drafts = record.steps.filter((s) => /^chapter\[\d\]\.draft$/.test(s.id));
    expect(drafts.filter((s) => s.resumed)).toHaveLength(doneBefore);
    // Each unfinished chapter was asked once more; the finished ones not again.
    expect(stub.completions().length - before).toBe(8 - doneBefore);
    expect(readdirSync(project.path('out/k/chapters'))).toHaveLength(8);
  }, 60_000);

  it('drafts each chapter with the model, with its continuity context in the prompt', async () => {
    project = pipelineProject(stubProvidersYaml(stub.baseUrl));
    const result = await runUcop(['run', 'workflows/book_chapters.yaml', '-i', `outline=${OUTLINE}`, '-o', 'out/book', '--quiet'], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(readRecord(project.path('out/book')).outputs).toMatchObject({ offline_chapters: 0 });
    expect(stub.completions()).toHaveLength(8);
    const book = project.read('out/book/book.md');
    expect(book).not.toContain('Drafted offline');
    expect(book).toContain('Nell unrolled the map');
    await expectValidEpub(project.path('out/book/book.epub'));
  }, 60_000);
});
