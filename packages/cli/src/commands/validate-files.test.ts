import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { capturedIO } from '../cli-io.ts';
import { runCli } from '../program.ts';

// Files a user names are read with care: never a FIFO or a device, never past the size limit (a setting
// whose name the error gives), never bytes that are not UTF-8; and `validate` exits 3 as documented.

let dir: string;
const STEP = '  s{i}: { agent: sim.delay, with: { ms: 1 } }\n';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-validate-files-'));
  execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
  symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
  writeFileSync(join(dir, 'latin1.yaml'), Buffer.concat([Buffer.from('version: 1\nname: caf'), Buffer.from([0xe9]), Buffer.from('\nsteps: {}\n')]));
  writeFileSync(join(dir, 'nul.yaml'), Buffer.from('version: 1\nname: a\u0000b\n'));
  writeFileSync(join(dir, 'utf16.yaml'), Buffer.from('\uFEFFversion: 1\n', 'utf16le'));
  // A valid workflow of about 1.2 MB: over the default limit of 1 MiB.
  let big = 'version: 1\nname: big\nsteps:\n';
  for (let i = 0; big.length < 1_200_000; i += 1) big += STEP.replace('{i}', String(i));
  writeFileSync(join(dir, 'big.yaml'), big);
  mkdirSync(join(dir, 'config'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function validate(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string; stdout: string }> {
  const io = capturedIO({ cwd: dir, env });
  const code = await runCli(args, io);
  return { code, stderr: io.stderr.text(), stdout: io.stdout.text() };
}

describe('ucop validate: files read with care', () => {
  it('a missing file exits 3, as the reference says', async () => {
    const result = await validate(['validate', 'nope.yaml']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('nope.yaml:1:1: FILE_NOT_FOUND');
  });

  it('a FIFO and /dev/zero behind a symlink are refused at once, naming the path', async () => {
    const fifo = await validate(['validate', 'fifo.yaml']);
    expect(fifo.code).toBe(3);
    expect(fifo.stderr).toMatch(/fifo\.yaml:1:1: FILE_NOT_REGULAR .*fifo\.yaml is a FIFO/);
    const zero = await validate(['validate', 'zero.yaml']);
    expect(zero.stderr).toMatch(/zero\.yaml:1:1: FILE_NOT_REGULAR .*a device/);
  });

  it('invalid UTF-8 is an error at its line and column; UTF-16 and NUL bytes are errors without raw NULs', async () => {
    const latin1 = await validate(['validate', 'latin1.yaml']);
    expect(latin1.code).toBe(3);
    expect(latin1.stderr).toContain('latin1.yaml:2:10: FILE_ENCODING_INVALID');
    const nul = await validate(['validate', 'nul.yaml']);
    expect(nul.stderr).toContain('nul.yaml:2:8: FILE_ENCODING_INVALID');
    const utf16 = await validate(['validate', 'utf16.yaml']);
    expect(utf16.stderr).toContain('utf16.yaml:1:1: FILE_ENCODING_INVALID');
    for (const r of [latin1, nul, utf16]) expect(r.stderr + r.stdout).not.toContain('\u0000');
  });

  it('a 1.2 MB workflow is refused naming the setting, and validates once the flag, the variable or config/main.yaml raises the limit', async () => {
    const refused = await validate(['validate', 'big.yaml']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/big\.yaml:1:1: YAML_TOO_LARGE .*--max-workflow-bytes, UCOP_MAX_WORKFLOW_BYTES or `limits: \{ max_workflow_bytes: \.\.\. \}`/);
    expect((await validate(['--max-workflow-bytes', '4MiB', 'validate', 'big.yaml'])).code).toBe(0);
    expect((await validate(['validate', 'big.yaml'], { UCOP_MAX_WORKFLOW_BYTES: '2000000' })).code).toBe(0);
    writeFileSync(join(dir, 'config', 'main.yaml'), 'limits:\n  max_workflow_bytes: 4MiB\n');
    try {
      expect((await validate(['validate', 'big.yaml'])).code).toBe(0);
    } finally {
      rmSync(join(dir, 'config', 'main.yaml'));
    }
    const bad = await validate(['--max-workflow-bytes', 'lots', 'validate', 'big.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-workflow-bytes must be a size in bytes');
  });

  it('-c naming a FIFO or /dev/zero is refused at once, and the configuration size limit is a setting', async () => {
    const fifo = await validate(['-c', 'fifo.yaml', 'validate', 'nope.yaml']);
    expect(fifo.code).toBe(2);
    expect(fifo.stderr).toMatch(/fifo\.yaml:1:1: FILE_NOT_REGULAR/);
    const zero = await validate(['-c', 'zero.yaml', 'validate', 'nope.yaml']);
    expect(zero.stderr).toMatch(/FILE_NOT_REGULAR .*zero\.yaml is a device/);
    writeFileSync(join(dir, 'main.yaml'), `# ${'x'.repeat(2000)}\n`);
    const big = await validate(['-c', 'main.yaml', 'validate', 'nope.yaml'], { UCOP_MAX_CONFIG_BYTES: '1000' });
    expect(big.stderr).toMatch(/main\.yaml:1:1: YAML_TOO_LARGE .*--max-config-bytes or UCOP_MAX_CONFIG_BYTES/);
  });
});
