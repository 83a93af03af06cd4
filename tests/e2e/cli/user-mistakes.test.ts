import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { FIXTURES, REPO_ROOT, runUcop } from './ucop-process.ts';

// What a user gets wrong on the command line: each mistake is a clear error with its documented exit code,
// reported before anything runs, and never costs the results of an earlier good run.

const scratch = mkdtempSync(join(tmpdir(), 'ucop-e2e-mistakes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const SIM = resolve(FIXTURES, 'sim-run.yaml');

/** Every file under `dir` with its content. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

describe('ucop run: mistakes never destroy an earlier run', () => {
  const out = join(scratch, 'good');
  let before: Record<string, string>;
  beforeAll(async () => {
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine, not ucop\'s');
    const first = await runUcop(['run', SIM, '-o', out, '--quiet']);
    expect(first.code).toBe(0);
    before = snapshot(out);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['run.json', 'notes.txt', join('steps', 'first.json')]));
  });

  it('a bad -i, an invalid workflow and a --trace that is a directory each fail up front and leave the directory as it was', async () => {
    const [badInput, invalid, traceDir] = await Promise.all([
      runUcop(['run', SIM, '-o', out, '-i', 'count=many']),
      runUcop(['run', resolve(FIXTURES, 'invalid.yaml'), '-o', out]),
      runUcop(['run', SIM, '-o', out, '--trace', scratch]),
    ]);
    expect(badInput.code).toBe(2);
    expect(badInput.stderr).toContain('input "count" must be an integer');
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toMatch(/invalid\.yaml:\d+:\d+: UNKNOWN_NEEDS/);
    expect(traceDir.code).toBe(2);
    expect(traceDir.stderr).toBe(`ucop: USAGE --trace ${scratch} is a directory: give a file path, e.g. --trace ${scratch}/trace.json\n`);
    expect(traceDir.stdout).toBe('');
    expect(snapshot(out)).toEqual(before);
  });
});

describe('-o that is a file', () => {
  it('run and generate say so and exit 2, and the file is untouched', async () => {
    const file = join(scratch, 'results.txt');
    writeFileSync(file, 'precious');
    const [run, generate] = await Promise.all([
      runUcop(['run', SIM, '-o', file, '--json']),
      runUcop(['generate', '-i', 'examples/kb-article.md', '-o', file], { cwd: REPO_ROOT }),
    ]);
    for (const result of [run, generate]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`ucop: USAGE -o ${file} is a file, not a directory: give a directory for the run's output (it is created if missing)\n`);
    }
    expect(readFileSync(file, 'utf8')).toBe('precious');
    expect(statSync(file).isFile()).toBe(true);
  });
});

describe('ucop generate -i that is not a markdown article', () => {
  it('a JSON file and a directory are bad usage; no post is written', async () => {
    const json = join(scratch, 'data.json');
    writeFileSync(json, '{"title": "not an article"}\n');
    const [fromJson, fromDir] = await Promise.all([
      runUcop(['generate', '-i', json, '-o', join(scratch, 'json-post')]),
      runUcop(['generate', '-i', 'examples', '-o', join(scratch, 'dir-post')], { cwd: REPO_ROOT }),
    ]);
    expect(fromJson.code).toBe(2);
    expect(fromJson.stderr).toContain(`-i ${json} is a .json file, not a markdown article`);
    expect(fromDir.code).toBe(2);
    expect(fromDir.stderr).toContain('-i examples is a directory: give the markdown article itself');
    expect(readdirSync(scratch)).not.toContain('json-post');
    expect(readdirSync(scratch)).not.toContain('dir-post');
  });
});
