import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCliInProcess } from './testing/run-cli-in-process.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ucop-unwritten-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a run.json that could not be written', () => {
  it('is not named by the summary, in text or JSON', async () => {
    const out = join(scratch, 'out');
    // A directory where run.json goes: the record cannot be written there.
    mkdirSync(join(out, 'run.json'), { recursive: true });
    const text = await runCliInProcess(['run', join(FIXTURES, 'sim-run.yaml'), '-o', out], scratch);
    expect(text.code).not.toBe(0);
    expect(text.stdout).toContain('record:  not written');
    expect(text.stdout).not.toMatch(/record: +\S*run\.json/);
    const json = await runCliInProcess(['run', join(FIXTURES, 'sim-run.yaml'), '-o', out, '--json'], scratch);
    expect((JSON.parse(json.stdout) as { record: unknown }).record).toBeNull();
  });
});
