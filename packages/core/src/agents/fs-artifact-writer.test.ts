import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync, symlinkSync, mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createArtifactWriter } from './fs-artifact-writer.ts';
import { isUcopError } from '../errors/ucop-error.ts';

let base: string;
beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'ucop-artifacts-')));
});
afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('createArtifactWriter', () => {
  it('writes under the root, creating directories, and returns the absolute path', async () => {
    const writer = createArtifactWriter(join(base, 'run'));
    const path = await writer.write('steps/outline.json', '{"a":1}');
    expect(path).toBe(join(base, 'run', 'steps', 'outline.json'));
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}');
    expect(writer.root).toBe(join(base, 'run'));
    expect(writer.resolve('x/y.md')).toBe(join(base, 'run', 'x', 'y.md'));
  });

  it('refuses paths that escape the root, writing nothing', async () => {
    const root = join(base, 'run');
    mkdirSync(root);
    mkdirSync(join(base, 'outside'));
    symlinkSync(join(base, 'outside'), join(root, 'link'));
    const writer = createArtifactWriter(root);
    for (const bad of ['../evil.txt', '/tmp/evil.txt', 'link/evil.txt', 'a/../../evil.txt']) {
      const error = await writer.write(bad, 'x').catch((e: unknown) => e);
      expect(isUcopError(error) && error.code, bad).toBe('ARTIFACT_PATH_ESCAPE');
    }
    expect(existsSync(join(base, 'evil.txt'))).toBe(false);
    expect(existsSync(join(base, 'outside', 'evil.txt'))).toBe(false);
  });
});
