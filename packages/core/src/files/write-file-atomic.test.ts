import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './write-file-atomic.ts';
import { readJsonFile } from './read-json-file.ts';
import { isUcopError } from '../errors/ucop-error.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-atomic-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes text and bytes, creating the directory, leaving no temp file', async () => {
    await writeFileAtomic(join(dir, 'a', 'b.txt'), 'hello');
    await writeFileAtomic(join(dir, 'c.bin'), new Uint8Array([1, 2, 3]));
    expect(readFileSync(join(dir, 'a', 'b.txt'), 'utf8')).toBe('hello');
    expect([...readFileSync(join(dir, 'c.bin'))]).toEqual([1, 2, 3]);
    expect(readdirSync(dir).sort()).toEqual(['a', 'c.bin']);
  });

  it('replaces an existing file whole', async () => {
    const path = join(dir, 'f.txt');
    writeFileSync(path, 'old content that is longer');
    await writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  it('writes nothing when the signal is aborted, and leaves the old file', async () => {
    const path = join(dir, 'f.txt');
    writeFileSync(path, 'old');
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(writeFileAtomic(path, 'new', { signal: controller.signal })).rejects.toThrow('stop');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['f.txt']);
  });

  it('fails without mkdir when the directory is missing, leaving nothing', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'f.txt'), 'x', { mkdir: false })).rejects.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('readJsonFile', () => {
  it('parses JSON', async () => {
    await writeFileAtomic(join(dir, 'r.json'), '{"a":[1]}');
    expect(await readJsonFile(join(dir, 'r.json'))).toEqual({ a: [1] });
  });

  it('reports a missing file and bad JSON with their codes', async () => {
    const missing = await readJsonFile(join(dir, 'nope.json')).catch((e: unknown) => e);
    expect(isUcopError(missing) && missing.code).toBe('FILE_NOT_FOUND');
    writeFileSync(join(dir, 'bad.json'), '{oops');
    const bad = await readJsonFile(join(dir, 'bad.json')).catch((e: unknown) => e);
    expect(isUcopError(bad) && bad.code).toBe('JSON_INVALID');
  });
});
