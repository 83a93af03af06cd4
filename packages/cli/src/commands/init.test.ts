import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { capturedIO } from '../cli-io.ts';
import { runCli } from '../program.ts';
import { STARTER_FILES } from './init.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-init-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function init(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capturedIO({ cwd: dir });
  const code = await runCli(['init', ...args], io);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

describe('ucop init', () => {
  it('writes the starter project, and a second time keeps what exists unless --force', async () => {
    const first = await init([]);
    expect(first.code).toBe(0);
    for (const file of STARTER_FILES) {
      expect(existsSync(join(dir, file.path)), file.path).toBe(true);
      expect(first.stdout).toContain(`wrote ${file.path}`);
    }
    expect(readFileSync(join(dir, 'config/providers.yaml'), 'utf8')).toMatch(/^# Written by `ucop init`[^\n]*\n# Text-model providers/);
    writeFileSync(join(dir, 'notes.md'), '# mine\n');
    const second = await init([]);
    expect(second.stdout).toContain('kept notes.md (exists; --force overwrites it)');
    expect(readFileSync(join(dir, 'notes.md'), 'utf8')).toBe('# mine\n');
    await init(['--force']);
    expect(readFileSync(join(dir, 'notes.md'), 'utf8')).toContain('# Notes on pipelines');
  });

  it('writes into a named directory and says how to run the workflow there', async () => {
    const result = await init(['proj']);
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'proj/workflows/hello.yaml'))).toBe(true);
    expect(result.stdout).toContain('next: cd proj && npx ucop run workflows/hello.yaml');
  });

  it('refuses a file as the project directory (bad usage, exit 2)', async () => {
    writeFileSync(join(dir, 'afile'), 'x');
    const result = await init(['afile']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('afile is a file');
  });
});
