import { resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { UcopError } from '@ucop/core';
import { jsonErrorDocument, wantsJson } from './json-error.ts';
import { runCliInProcess, FIXTURES } from './testing/run-cli-in-process.ts';


const cli = runCliInProcess;

describe('wantsJson', () => {
  it('is --json among the options, not after --', () => {
    expect(wantsJson(['run', 'w.yaml', '--json'])).toBe(true);
    expect(wantsJson(['run', 'w.yaml'])).toBe(false);
    expect(wantsJson(['run', '--', '--json'])).toBe(false);
  });
});

describe('jsonErrorDocument', () => {
  it('lists every diagnostic of a file with its position, or the error itself', () => {
    const diagnostics = [{ file: 'w.yaml', line: 3, col: 5, code: 'UNKNOWN_AGENT' as const, message: 'no such agent', hint: 'did you mean `a.b`?' }];
    expect(jsonErrorDocument(new UcopError('UNKNOWN_AGENT', 'w.yaml: 1 problem', { fields: { diagnostics } }), 3)).toEqual({ ok: false, exitCode: 3, errors: diagnostics });
    expect(jsonErrorDocument(new UcopError('INPUT_MISSING', 'give -i x=...'), 2)).toEqual({ ok: false, exitCode: 2, errors: [{ code: 'INPUT_MISSING', message: 'give -i x=...' }] });
    expect(jsonErrorDocument(new Error('bug'), 1).errors).toEqual([{ code: 'INTERNAL', message: 'bug' }]);
  });
});

describe('--json when a command fails before producing its document', () => {
  it.each([
    [['run', resolve(FIXTURES, 'invalid.yaml'), '--json'], 3, 'UNKNOWN_NEEDS'],
    [['plan', resolve(FIXTURES, 'invalid.yaml'), '--json'], 3, 'UNKNOWN_NEEDS'],
    [['run', resolve(FIXTURES, 'sim-run.yaml'), '-o', '/nonexistent/never', '-i', 'count=many', '--json'], 2, 'INPUT_INVALID'],
    [['run', resolve(FIXTURES, 'sim-run.yaml'), '--max-parallel', '0', '--json'], 2, 'USAGE'],
    [['generate', '-i', 'nope.md', '--json'], 2, 'USAGE'],
  ])('%j prints one JSON error document on stdout (exit %i, %s) and the message on stderr', async (args, exitCode, code) => {
    const result = await cli(args);
    expect(result.code).toBe(exitCode);
    const document = JSON.parse(result.stdout) as { ok: boolean; exitCode: number; errors: { code: string }[] };
    expect(document).toMatchObject({ ok: false, exitCode });
    expect(document.errors.map((e) => e.code)).toContain(code);
    expect(result.stderr).not.toBe('');
  });

  it('without --json, stdout stays empty', async () => {
    const result = await cli(['plan', resolve(FIXTURES, 'invalid.yaml')]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
  });
});
