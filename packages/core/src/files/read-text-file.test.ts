import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UcopError } from '../errors/ucop-error.ts';
import { readTextFile } from './read-text-file.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-read-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function failure(path: string, maxBytes = 1024, extra: { signal?: AbortSignal; limitSetting?: string } = {}): Promise<UcopError> {
  try {
    await readTextFile(path, { maxBytes, what: 'workflow', ...extra });
  } catch (error) {
    if (error instanceof UcopError) return error;
    throw error;
  }
  throw new Error(`reading ${path} did not fail`);
}

describe('readTextFile', () => {
  it('reads UTF-8 text, dropping a byte order mark', async () => {
    writeFileSync(join(dir, 'a.yaml'), '\uFEFFname: café ✓\n');
    expect(await readTextFile(join(dir, 'a.yaml'), { maxBytes: 1024 })).toBe('name: café ✓\n');
  });

  it('refuses a missing file, a directory, a FIFO and /dev/zero (also through a symlink) without reading', async () => {
    expect((await failure(join(dir, 'nope.yaml'))).code).toBe('FILE_NOT_FOUND');
    mkdirSync(join(dir, 'd'));
    const d = await failure(join(dir, 'd'));
    expect(d.code).toBe('FILE_NOT_REGULAR');
    expect(d.message).toContain(join(dir, 'd'));
    expect(d.message).toContain('directory');
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const fifo = await failure(join(dir, 'fifo'));
    expect(fifo.code).toBe('FILE_NOT_REGULAR');
    expect(fifo.message).toContain('FIFO');
    expect((await failure('/dev/zero')).code).toBe('FILE_NOT_REGULAR');
    symlinkSync('/dev/zero', join(dir, 'zero.md'));
    const zero = await failure(join(dir, 'zero.md'));
    expect(zero.code).toBe('FILE_NOT_REGULAR');
    expect(zero.message).toContain('zero.md');
  });

  it('refuses a file over the limit, naming the setting that raises it', async () => {
    writeFileSync(join(dir, 'big.yaml'), 'x'.repeat(2000));
    const error = await failure(join(dir, 'big.yaml'), 1000, { limitSetting: '--max-workflow-bytes' });
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain('--max-workflow-bytes');
    expect(error.fields).toMatchObject({ size: 2000, maxBytes: 1000 });
  });

  it('points at the first invalid UTF-8 byte by line and column', async () => {
    writeFileSync(join(dir, 'bad.yaml'), Buffer.concat([Buffer.from('a: 1\nbé: x'), Buffer.from([0xff]), Buffer.from('y\n')]));
    const error = await failure(join(dir, 'bad.yaml'));
    expect(error.code).toBe('FILE_ENCODING_INVALID');
    expect(error.location).toEqual({ file: join(dir, 'bad.yaml'), line: 2, col: 6 });
    // A multi-byte sequence cut short is reported at its first byte.
    writeFileSync(join(dir, 'cut.yaml'), Buffer.concat([Buffer.from('ab'), Buffer.from([0xe2, 0x82]), Buffer.from('c')]));
    expect((await failure(join(dir, 'cut.yaml'))).location).toMatchObject({ line: 1, col: 3 });
  });

  it('refuses UTF-16 and NUL bytes without quoting them', async () => {
    writeFileSync(join(dir, 'u16.yaml'), Buffer.from('\uFEFFname: x\n', 'utf16le'));
    const u16 = await failure(join(dir, 'u16.yaml'));
    expect(u16.code).toBe('FILE_ENCODING_INVALID');
    expect(u16.message).toContain('UTF-16');
    expect(u16.message).not.toContain('\u0000');
    writeFileSync(join(dir, 'nul.yaml'), Buffer.from('a: 1\nb\u0000: 2\n'));
    const nul = await failure(join(dir, 'nul.yaml'));
    expect(nul.code).toBe('FILE_ENCODING_INVALID');
    expect(nul.location).toMatchObject({ line: 2, col: 2 });
    expect(nul.message).not.toContain('\u0000');
  });

  it('throws the abort reason when the signal aborts', async () => {
    writeFileSync(join(dir, 'a.yaml'), 'a: 1\n');
    const controller = new AbortController();
    const reason = new UcopError('RUN_CANCELLED', 'interrupted');
    controller.abort(reason);
    await expect(readTextFile(join(dir, 'a.yaml'), { maxBytes: 1024, signal: controller.signal })).rejects.toBe(reason);
  });
});
