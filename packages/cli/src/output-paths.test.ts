import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { checkOutputDirectory, checkTraceFile, traceFileFor } from './output-paths.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-output-paths-'));
  writeFileSync(join(dir, 'a-file'), 'not a directory');
  mkdirSync(join(dir, 'a-dir'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkOutputDirectory (-o)', () => {
  it('accepts an existing directory and a path that can be created', () => {
    expect(() => checkOutputDirectory(join(dir, 'a-dir'))).not.toThrow();
    expect(() => checkOutputDirectory(join(dir, 'new/deeper/still'))).not.toThrow();
  });

  it('refuses a file, as bad usage naming the option and the path as given', () => {
    expect(() => checkOutputDirectory(join(dir, 'a-file'), 'out/a-file')).toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('-o out/a-file is a file, not a directory') }),
    );
  });

  it('refuses a path under a file', () => {
    expect(() => checkOutputDirectory(join(dir, 'a-file/sub/dir'), 'x')).toThrow(
      expect.objectContaining({ code: 'USAGE', message: `-o x: ${join(dir, 'a-file')} is a file, so nothing can be created under it; choose another path` }),
    );
  });
});

describe('checkTraceFile (--trace file)', () => {
  it('accepts a new file, also in a directory still to be created, and an existing file', () => {
    expect(() => checkTraceFile(join(dir, 'missing/dir/trace.json'))).not.toThrow();
    expect(() => checkTraceFile(join(dir, 'a-file'))).not.toThrow();
  });

  it('refuses a directory and suggests a file in it', () => {
    expect(() => checkTraceFile(join(dir, 'a-dir'), 'traces/')).toThrow(
      expect.objectContaining({ code: 'USAGE', message: '--trace traces/ is a directory: give a file path, e.g. --trace traces/trace.json' }),
    );
  });

  it('refuses a path under a file', () => {
    expect(() => checkTraceFile(join(dir, 'a-file/trace.json'), 't')).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('--trace t: ') }));
  });
});

describe('traceFileFor (--trace [file])', () => {
  it('is undefined without the option, <out>/trace.json for a bare --trace, the file resolved from cwd otherwise', () => {
    expect(traceFileFor(undefined, '/cwd', '/out')).toBeUndefined();
    expect(traceFileFor(true, '/cwd', '/out')).toBe('/out/trace.json');
    expect(traceFileFor('t/spans.json', dir, '/out')).toBe(join(dir, 't/spans.json'));
    expect(() => traceFileFor('a-dir', dir, '/out')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
