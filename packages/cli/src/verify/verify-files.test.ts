import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectVerifyFiles, workflowFilesIn } from './verify-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'ucop-verify-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the workflow files ucop verify checks', () => {
  it('are the .yaml, .yml and .json files of a directory, sorted', () => {
    for (const name of ['b.yaml', 'a.json', 'c.yml', 'notes.txt', 'd.yaml.bak']) writeFileSync(join(dir, name), '');
    mkdirSync(join(dir, 'sub.json'));
    expect(workflowFilesIn(dir)).toEqual([join(dir, 'a.json'), join(dir, 'b.yaml'), join(dir, 'c.yml')]);
  });

  it('say what a user directory without any of them lacks', () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(collectVerifyFiles(join(dir, 'no-root'), dir, empty).problems).toEqual([`the workflows directory ${empty} holds no workflow file (*.yaml, *.yml, *.json)`]);
  });
});
