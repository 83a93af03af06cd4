import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';

/**
 * ucop as a user gets it: the four packages packed with `npm pack` (what the registry would serve), installed
 * into an empty project with `npm install -D`, then driven through `npx ucop` the way the README says: init,
 * run the starter workflow with its TypeScript plugin agent, a JavaScript plugin, generate, validate, and the
 * packages' types from the user's TypeScript. Nothing here goes through the workspace links.
 */
const REPO = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

let work: string;
let project: string;
/** The environment of the user's shell: Node 24 (the one running the tests) first on PATH. */
let env: NodeJS.ProcessEnv;

async function sh(command: string, args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return run(command, [...args], { cwd, env, maxBuffer: 16 * 1024 * 1024, timeout: 240_000 });
}

async function ucop(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await sh('npx', ['--no-install', 'ucop', ...args], project);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ucop-packed-'));
  project = join(work, 'my-project');
  // The machine's own environment (certificates, proxies) less what would change the outcome: UCOP_* settings,
  // provider keys, OpenTelemetry exporters, and the npm_* variables of the `npm test` running this.
  env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(UCOP_|OTEL_|npm_)|_API_KEY$/.test(name)));
  env['PATH'] = [dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter);
  Object.assign(env, { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' });
  const packs = join(work, 'packs');
  mkdirSync(packs);
  mkdirSync(project);
  await sh('npm', ['pack', '-w', 'packages/core', '-w', 'packages/agents', '-w', 'packages/server', '-w', 'packages/worker', '-w', 'packages/cli', '--pack-destination', packs], REPO);
  const tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz')).map((f) => join(packs, f));
  expect(tarballs).toHaveLength(5);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-project', private: true, type: 'module' }, null, 2));
  await sh('npm', ['install', '-D', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs], project);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
}, 60_000);

describe('the packed packages installed into an empty project', () => {
  it('install built JavaScript with types and the files the CLI needs, not the sources or tests', () => {
    const core = join(project, 'node_modules/@ucop/core');
    expect(existsSync(join(core, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(core, 'dist/index.d.ts'))).toBe(true);
    expect(existsSync(join(core, 'dist/generated/schema-validators.cjs'))).toBe(true);
    expect(existsSync(join(core, 'src'))).toBe(false);
    const cli = join(project, 'node_modules/@ucop/cli');
    for (const file of ['workflows/blog_generation.yaml', 'config/providers.yaml', 'templates/init/workflows/hello.yaml']) expect(existsSync(join(cli, file)), file).toBe(true);
    expect(existsSync(join(project, 'node_modules/@ucop/agents/prompts/section.md'))).toBe(true);
    const shipped = readdirSync(join(core, 'dist'), { recursive: true }).map(String);
    expect(shipped.filter((f) => f.endsWith('.test.js'))).toEqual([]);
  });

  it('npx ucop --version and --help answer', async () => {
    const version = await ucop(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${JSON.parse(readFileSync(join(REPO, 'packages/cli/package.json'), 'utf8')).version}\n` });
    const help = await ucop(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('init [dir]');
  });

  it('npx ucop init writes a starter project whose workflow runs with its TypeScript plugin agent', async () => {
    const init = await ucop(['init']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('wrote workflows/hello.yaml');
    const again = await ucop(['init']);
    expect(again.stdout).toContain('kept workflows/hello.yaml (exists; --force overwrites it)');

    const result = await ucop(['run', 'workflows/hello.yaml', '-q', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { status: string; outputs: { sections: { title: string; words: number }[] } };
    expect(summary.status).toBe('succeeded');
    expect(summary.outputs.sections.map((s) => s.title)).toEqual(['Why parallel', 'Why a record']);
    expect(summary.outputs.sections.every((s) => s.words > 10)).toBe(true);
    expect(existsSync(join(project, 'out/hello/run.json'))).toBe(true);
    const agent = await ucop(['agents', 'local.word_count']);
    expect(agent.stdout).toContain('Counts the words of one section.');
  });

  it('a JavaScript plugin agent that imports @ucop/core is registered from the config and runs', async () => {
    writeFileSync(
      join(project, 'agents/shout.mjs'),
      [
        "import { UcopError, defineAgent } from '@ucop/core';",
        'export default defineAgent({',
        "  name: 'local.shout', version: '1', description: 'Upper-cases a text.', estimateMs: 1,",
        "  inputSchema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },",
        '  outputSchema: {},',
        '  async run(_ctx, input) {',
        "    if (input.text === '') throw new UcopError('AGENT_FAILED', 'nothing to shout');",
        '    return input.text.toUpperCase();',
        '  },',
        '});',
      ].join('\n'),
    );
    const config = readFileSync(join(project, 'config/main.yaml'), 'utf8').replace('    - ../agents/word-count.ts', '    - ../agents/word-count.ts\n    - ../agents/shout.mjs');
    writeFileSync(join(project, 'config/main.yaml'), config);
    writeFileSync(
      join(project, 'workflows/shout.yaml'),
      ['version: 1', 'name: shout', 'steps:', '  loud: { agent: local.shout, with: { text: hello } }', 'outputs:', "  loud: '${{ steps.loud.output }}'", ''].join('\n'),
    );
    const validate = await ucop(['validate', 'workflows/hello.yaml', 'workflows/shout.yaml']);
    expect(validate.code, validate.stderr).toBe(0);
    const result = await ucop(['run', 'workflows/shout.yaml', '-q', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'succeeded', outputs: { loud: 'HELLO' } });
  });

  it('npx ucop generate writes a post offline from the shipped workflow and prompts', async () => {
    const result = await ucop(['generate', '-i', 'notes.md', '-o', 'out/post', '-q']);
    expect(result.code, result.stderr).toBe(0);
    const post = readFileSync(join(project, 'out/post/post.md'), 'utf8');
    expect(post).toContain('generator: offline');
    expect(post).toContain('Why parallel');
  });

  it('npx ucop verify checks the installed packages\' own dependencies', async () => {
    const result = await ucop(['verify', '--only', 'runtime']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const count = Number(/and (\d+) dependencies in their supported ranges/.exec(result.stdout)?.[1]);
    expect(count).toBeGreaterThan(10);
  });

  it("the packages' declarations type-check a plugin written against them", async () => {
    const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
    const tsconfig = (file: string): string =>
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2024', allowImportingTsExtensions: true, skipLibCheck: true, types: [] },
        files: [file],
      });
    writeFileSync(join(project, 'tsconfig.json'), tsconfig('agents/word-count.ts'));
    await sh(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    writeFileSync(
      join(project, 'agents/wrong.ts'),
      "import { defineAgent } from '@ucop/core';\nexport default defineAgent<{ n: number }, string>({ name: 'x', version: '1', description: '', estimateMs: 1, inputSchema: {}, outputSchema: {}, async run(_c, input) { return input.n; } });\n",
    );
    writeFileSync(join(project, 'tsconfig.wrong.json'), tsconfig('agents/wrong.ts'));
    await expect(sh(process.execPath, [tsc, '-p', 'tsconfig.wrong.json'], project)).rejects.toMatchObject({ stdout: expect.stringContaining("Type 'number' is not assignable to type 'string'") });
  });
});
