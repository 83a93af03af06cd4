/**
 * The run report in a real browser: headless Debian Chromium (installed by .ci/run) driven by playwright-core.
 * For a real offline run of every shipped workflow (and one that retries and fails, and one whose record holds
 * markup): the page has one work bar per attempt in run.json, marks the critical path, shows timings on hover,
 * logs no console error, runs no injected script, and leaves a screenshot under reports/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '@ucop/core';
import { REPO, runCliInProcess } from '../../../packages/cli/src/testing/run-cli-in-process.ts';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const SCREENSHOTS = join(REPO, 'reports');

// In CI a missing browser is a failure, not a skip: .ci/run installs it.
if (!haveChromium && process.env['CI']) {
  describe('report in a browser', () => {
    it('needs Chromium', () => {
      throw new Error(`${CHROMIUM} is missing: .ci/run installs it (apt-get install -y chromium)`);
    });
  });
}

interface Case {
  name: string;
  args: string[];
}

const shipped = async (): Promise<Case[]> => {
  const cases: Case[] = [];
  for (const dir of ['workflows', 'workflows/examples']) {
    for (const file of (await readdir(join(REPO, dir))).filter((f) => f.endsWith('.yaml')).sort()) {
      const name = file.replace(/\.yaml$/, '');
      const args = [`${dir}/${file}`];
      // The inputs each shipped pipeline needs, from its shipped example.
      const inputs: Record<string, string> = {
        blog_generation: 'source=examples/kb-article.md',
        manuscript_edit: 'manuscript=examples/manuscript/keeper-of-skarholm.md',
        book_chapters: 'outline=examples/book/outline.md',
        backlog: 'brief=examples/backlog/product-brief.md',
      };
      if (inputs[name] !== undefined) args.push('-i', inputs[name]);
      cases.push({ name, args });
    }
  }
  return cases;
};

/** Units that ran (not fan-out aggregates, not resumed, not skipped): one work bar per attempt. */
function expectedWorkBars(record: RunRecord): number {
  const fanOuts = new Set(record.steps.filter((s) => s.itemIndex !== undefined).map((s) => s.id));
  return record.steps
    .filter((s) => !(s.itemIndex === undefined && fanOuts.has(s.id)) && s.startMs !== undefined && !s.resumed)
    .reduce((n, s) => n + (s.attemptLog?.length ?? 1), 0);
}

describe.skipIf(!haveChromium)('report in a browser', () => {
  let browser: Browser;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ucop-report-'));
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function open(file: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`network: ${r.url()}`);
    });
    await page.goto(`file://${file}`);
    await page.waitForSelector('.vis-item.kind-work');
    return { page, problems };
  }

  async function checkReport(name: string, outDir: string): Promise<void> {
    const record = JSON.parse(await readFile(join(outDir, 'run.json'), 'utf8')) as RunRecord;
    const { page, problems } = await open(join(outDir, 'report.html'));
    try {
      const bars = await page.locator('.vis-item.kind-work').count();
      expect(bars).toBe(expectedWorkBars(record));
      expect(bars).toBeGreaterThan(0);
      if (record.metrics.criticalPath.steps.length > 0) expect(await page.locator('.vis-item.kind-work.critical').count()).toBeGreaterThan(0);
      // Per-step lanes hold the same bars.
      await page.locator('input[name="lanes"][value="step"]').check();
      await expect.poll(() => page.locator('body').getAttribute('data-lanes')).toBe('step');
      expect(await page.locator('.vis-item.kind-work').count()).toBe(bars);
      await page.locator('input[name="lanes"][value="slot"]').check();
      // Hover a critical bar: the tooltip shows its timings.
      const target = page.locator('.vis-item.kind-work.critical').first();
      await target.hover();
      const tip = page.locator('.vis-tooltip');
      await expect.poll(() => tip.textContent()).toMatch(/start \+\d.*end \+\d.*duration \d/s);
      await page.screenshot({ path: join(SCREENSHOTS, `report-${name}.png`), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }

  it('opens the report of a real run of every shipped workflow', async () => {
    const cases = await shipped();
    expect(cases.length).toBeGreaterThanOrEqual(3);
    for (const c of cases) {
      const out = join(work, c.name);
      const result = await runCliInProcess(['run', ...c.args, '-o', out, '-q', '--report']);
      expect(result.stderr, c.name).toContain('report.html');
      await checkReport(c.name, out);
    }
  }, 180_000);

  it('shows retries, backoff and the error of a failing run', async () => {
    const out = join(work, 'failing');
    const result = await runCliInProcess(['run', 'workflows/examples/failure-handling.yaml', '-i', 'deploy_failures=3', '-o', out, '-q', '--report']);
    expect(result.code).toBe(4);
    await checkReport('failure-handling-failed', out);
    const { page, problems } = await open(join(out, 'report.html'));
    try {
      expect(await page.locator('.vis-item.kind-work.status-failed').count()).toBe(3);
      expect(await page.locator('.vis-item.kind-backoff').count()).toBe(2);
      expect(await page.locator('#errors').textContent()).toContain('deploy');
      expect(await page.locator('#speedup .value').textContent()).toBe('-');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('runs no markup from the record (step ids, errors, workflow name)', async () => {
    const out = join(work, 'hostile');
    await runCliInProcess(['run', 'workflows/examples/failure-handling.yaml', '-i', 'deploy_failures=3', '-o', out, '-q']);
    const record = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as RunRecord;
    const evil = '<img src=x onerror="window.__pwned=1">';
    const closing = '</script><script>window.__pwned=2</script>';
    record.workflow = `${evil}${closing}`;
    for (const s of record.steps) if (s.id === 'deploy') s.id = `deploy${evil}`;
    for (const e of record.errors) e.message = `${closing}${evil}`;
    for (const s of record.steps) if (s.error) s.error.message = `${evil}${closing}`;
    record.metrics.criticalPath.steps = record.metrics.criticalPath.steps.map((id) => (id === 'deploy' ? `deploy${evil}` : id));
    await writeFile(join(out, 'run.json'), JSON.stringify(record));
    expect((await runCliInProcess(['report', out])).code).toBe(0);
    const { page, problems } = await open(join(out, 'report.html'));
    try {
      for (const bar of await page.locator('.vis-item.kind-work.status-failed').all()) await bar.hover();
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('h1').textContent()).toContain('<img src=x');
      expect(await page.locator('.vis-tooltip').textContent()).toContain('onerror');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
