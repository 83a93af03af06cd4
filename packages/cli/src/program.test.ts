import { resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { BUILTIN_SETTINGS } from '@ucop/core';
import { cliVersion } from './program.ts';
import { runCliInProcess, REPO, FIXTURES } from './testing/run-cli-in-process.ts';


const cli = runCliInProcess;

describe('runCli argument handling', () => {
  it('--help exits 0 and documents the exit codes; --version prints the package version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toContain('4  execution failed');
    // A command of two arguments is listed with both (the list is drawn without loading the command).
    expect(help.stdout).toMatch(/^ {2}outputs <dir> \[unit\] /m);
    const version = await cli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${cliVersion()}\n` });
    expect(cliVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['nosuch'], "unknown command 'nosuch'"],
    [['validate'], "missing required argument 'files'"],
    [['plan', 'x.yaml', '--bogus'], "unknown option '--bogus'"],
    [['plan', 'x.yaml', '--max-parallel', '0'], "'--max-parallel <n>' argument '0' is invalid"],
    [['run', 'x.yaml', '--engine', 'turbo'], "Allowed choices are parallel, sequential"],
    [['run', 'x.yaml', '--timeout', 'soon'], 'expected a duration'],
    [['run', 'x.yaml', '--timeout', '0ms'], "'--timeout <duration>' argument '0ms' is invalid. expected a duration above zero"],
    [['generate', '-o', 'out'], "required option '-i, --input <article>'"],
    [['graph', 'x.yaml', '--format', 'svg'], 'Allowed choices are mermaid, dot'],
  ])('%j is bad usage (exit 2) with commander\'s message', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it("a subcommand's usage error points at that subcommand's help", async () => {
    expect((await cli(['run', 'x.yaml', '--bogus'])).stderr).toContain('(run ucop run --help for usage)');
    expect((await cli(['config', 'show', '--bogus'])).stderr).toContain('(run ucop config show --help for usage)');
    expect((await cli(['nosuch'])).stderr).toContain('(run ucop --help for usage)');
  });

  it('the help of run says where each engine setting comes from when its flag is not given, down to the built-in default', async () => {
    const help = (await cli(['run', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain(`(default: UCOP_MAX_PARALLEL, else config.max_parallel of the workflow, else config/main.yaml, else ${BUILTIN_SETTINGS.max_parallel})`);
    expect(help).toContain(`else ${BUILTIN_SETTINGS.timeout})`);
    expect(help).toContain('--no-fail-fast');
    expect(help).toContain('(implies --resume)');
    const bench = (await cli(['bench', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(bench).toContain('--workloads <names> comma-separated workloads to run: ingestion, outline_sections, book_60, cross_deps_62');
    const verify = (await cli(['verify', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(verify).toContain('--only <checks> comma-separated checks to run: runtime, workflows, parity, exactly-once, timeouts, fail-fast, resume, speedup (default: all)');
  });

  it('a bad -i value exits 2 and names the input, before anything runs', async () => {
    const result = await cli(['run', resolve(FIXTURES, 'sim-run.yaml'), '-o', '/nonexistent/never-created', '-i', 'loud=perhaps']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('ucop: INPUT_INVALID input "loud" must be a boolean (true/false, yes/no, 1/0), got "perhaps"\n');
  });

  it('a missing required input exits 2 and says how to give it', async () => {
    const run = await cli(['run', resolve(REPO, 'workflows/blog_generation.yaml'), '-o', '/nonexistent/x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing required input "source"; give -i source=...');
  });
});
