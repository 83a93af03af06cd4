import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { isUcopError } from '@ucop/core';
import { checkArticleFile } from './article-file.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-article-file-'));
  writeFileSync(join(dir, 'good.md'), '# Title\n\nSome text.\n');
  writeFileSync(join(dir, 'GOOD.MARKDOWN'), '# Title\n');
  writeFileSync(join(dir, 'data.json'), '{"a": 1}\n');
  writeFileSync(join(dir, 'README'), '# no extension\n');
  writeFileSync(join(dir, 'empty.md'), ' \n\n\t\n');
  writeFileSync(join(dir, 'binary.md'), Buffer.from([0x23, 0x20, 0x41, 0x00, 0x01, 0x02]));
  writeFileSync(join(dir, 'latin1.md'), Buffer.from([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
  mkdirSync(join(dir, 'folder.md'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(name: string): Promise<{ code: string; message: string }> {
  try {
    await checkArticleFile(join(dir, name), name);
  } catch (error) {
    if (isUcopError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`${name} was accepted`);
}

describe('checkArticleFile', () => {
  it('accepts non-empty markdown text, whatever the case of the extension', async () => {
    await expect(checkArticleFile(join(dir, 'good.md'))).resolves.toBeUndefined();
    await expect(checkArticleFile(join(dir, 'GOOD.MARKDOWN'))).resolves.toBeUndefined();
  });

  it('a missing article is bad usage (USAGE, exit 2), named as the user gave it', async () => {
    expect(await failure('nope.md')).toEqual({ code: 'USAGE', message: 'article nope.md does not exist: give the path of a markdown file with -i' });
  });

  it('a directory says it is a directory, not that it does not exist', async () => {
    expect(await failure('folder.md')).toEqual({ code: 'USAGE', message: '-i folder.md is a directory: give the markdown article itself, e.g. -i folder.md/article.md' });
  });

  it.each([
    ['data.json', 'is a .json file, not a markdown article'],
    ['README', 'has no extension, not a markdown article'],
    ['empty.md', 'is empty: there is nothing to write a post from'],
    ['binary.md', 'is a binary file, not a markdown article'],
    ['latin1.md', 'is not UTF-8 text'],
  ])('%s is refused as bad usage: "%s"', async (name, message) => {
    const { code, message: actual } = await failure(name);
    expect(code).toBe('USAGE');
    expect(actual).toContain(`-i ${name} ${message}`);
  });

  it('refuses a FIFO and /dev/zero behind a .md symlink at once, naming the path', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe.md')]);
    symlinkSync('/dev/zero', join(dir, 'zero.md'));
    const fifo = await failure('pipe.md');
    expect(fifo.code).toBe('FILE_NOT_REGULAR');
    expect(fifo.message).toContain('pipe.md');
    expect((await failure('zero.md')).code).toBe('FILE_NOT_REGULAR');
  });

  it('says where the first byte that is not UTF-8 is', async () => {
    const error = await checkArticleFile(join(dir, 'latin1.md'), 'latin1.md').catch((e: unknown) => e);
    expect(isUcopError(error) && error.location).toEqual({ file: 'latin1.md', line: 1, col: 6 });
  });
});
