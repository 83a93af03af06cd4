import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../testing/run-cli-in-process.ts';

describe('ucop report', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ucop-report-unit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one self-contained file with the data escaped', async () => {
    const run = await runCliInProcess(['run', 'workflows/examples/fan-out.yaml', '-o', dir, '-q']);
    expect(run.code).toBe(0);
    const record = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as { workflow: string };
    record.workflow = '</script><script>alert(1)</script>';
    await writeFile(join(dir, 'run.json'), JSON.stringify(record));
    const out = join(dir, 'custom.html');
    const result = await runCliInProcess(['report', dir, '-o', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('custom.html');
    const html = await readFile(out, 'utf8');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    // No external resource: every script and style is inline.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).toContain('vis-timeline');
  });

  it('exits 2 naming the directory when it holds no run record', async () => {
    const result = await runCliInProcess(['report', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has no run.json');
  });
});
