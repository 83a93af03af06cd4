import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { capturedIO } from '../cli-io.ts';
import { runCli } from '../program.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-validate-'));
  writeFileSync(join(dir, 'typo.yaml'), 'version: 1\nname: typo\nconfig:\n  provider: opnai\nsteps:\n  a: { agent: sim.delay, with: { ms: 1 } }\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ucop validate', () => {
  it('a provider the providers file does not define is invalid (exit 3) at its line and column, before any run', async () => {
    const io = capturedIO({ cwd: dir });
    // No config/ here: the installation's providers file (openai, anthropic, ollama, offline) applies.
    expect(await runCli(['validate', 'typo.yaml'], io)).toBe(3);
    expect(io.stderr.text()).toMatch(/typo\.yaml:4:13: CONFIG_INVALID unknown provider `opnai`: \S*config\/providers\.yaml defines `openai`, .*`offline` \(did you mean `openai`\?\)\n/);
  });
});
