import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, symlinkSync, rmSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveInside } from './resolve-inside.ts';
import { isUcopError } from '../errors/ucop-error.ts';

let base: string;
let root: string;
let outside: string;

beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'ucop-resolve-')));
  root = join(base, 'out');
  outside = join(base, 'elsewhere');
  mkdirSync(join(root, 'steps'), { recursive: true });
  mkdirSync(outside);
  symlinkSync(outside, join(root, 'escape'));
  symlinkSync(join(root, 'steps'), join(root, 'inner'));
  symlinkSync(join(base, 'missing-target'), join(root, 'dangling'));
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

function codeOf(relative: string): string | undefined {
  try {
    resolveInside(root, relative);
    return undefined;
  } catch (error) {
    return isUcopError(error) ? error.code : 'not a UcopError';
  }
}

describe('resolveInside', () => {
  it('resolves relative paths inside the root, existing or not', () => {
    expect(resolveInside(root, 'steps/a.json')).toBe(join(root, 'steps', 'a.json'));
    expect(resolveInside(root, './new/dir//file.txt')).toBe(join(root, 'new', 'dir', 'file.txt'));
    expect(resolveInside(root, 'inner/x.json')).toBe(join(root, 'inner', 'x.json'));
  });

  it.each([
    ['../secret', 'parent'],
    ['steps/../../secret', 'nested parent'],
    ['steps\\..\\..\\secret', 'backslash parent'],
    ['/etc/passwd', 'absolute'],
    ['C:\\Windows\\win.ini', 'windows absolute'],
    ['\\\\server\\share', 'UNC'],
    ['a\0b', 'NUL byte'],
    ['', 'empty'],
    ['.', 'the root itself'],
    ['escape/file.txt', 'symlink out of the root'],
    ['escape', 'the symlink itself'],
    ['dangling/x', 'dangling symlink out of the root'],
  ])('rejects %j (%s)', (relative) => {
    expect(codeOf(relative)).toBe('ARTIFACT_PATH_ESCAPE');
  });

  it('says what to change', () => {
    expect(() => resolveInside(root, '../x')).toThrow(/use a relative path without "\.\."/);
  });

  it('accepts a root that does not exist yet', () => {
    expect(resolveInside(join(base, 'later'), 'a/b')).toBe(join(base, 'later', 'a', 'b'));
  });
});
