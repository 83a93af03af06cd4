import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { EXIT_CODES, UcopError } from '@ucop/core/errors';
import type { CommandContext } from '../command-context.ts';
import { CLI_PACKAGE_ROOT, INSTALL_ROOT } from '../install-root.ts';
import { absolute, displayPath } from '../project-context.ts';

interface InitOptions {
  force?: boolean;
}

/** One file `ucop init` writes: where (relative to the project) and where its content comes from. */
interface StarterFile {
  path: string;
  source: string;
  /** Put before the source's content (the shipped providers file gets a line that says where it came from). */
  header?: string;
}

const TEMPLATES = join(CLI_PACKAGE_ROOT, 'templates', 'init');

/** The starter project: a workflow, its input, an agent of the project's own and the configuration. */
export const STARTER_FILES: readonly StarterFile[] = [
  { path: 'workflows/hello.yaml', source: join(TEMPLATES, 'workflows/hello.yaml') },
  { path: 'notes.md', source: join(TEMPLATES, 'notes.md') },
  { path: 'agents/word-count.ts', source: join(TEMPLATES, 'agents/word-count.ts') },
  { path: 'config/main.yaml', source: join(TEMPLATES, 'config/main.yaml') },
  {
    path: 'config/providers.yaml',
    source: join(INSTALL_ROOT, 'config/providers.yaml'),
    header: '# Written by `ucop init` from the providers file ucop ships; edit it freely.\n',
  },
];

/**
 * `ucop init [dir]`: writes a starter project (workflow, input file, plugin agent, main configuration and
 * providers file). Existing files are kept unless `--force`; it never writes outside `dir`.
 */
export function registerInitCommand(program: Command, ctx: CommandContext): void {
  program
    .command('init')
    .description('write a starter workflow, a providers file and a commented configuration into a project')
    .argument('[dir]', 'project directory', '.')
    .option('--force', 'overwrite files that already exist')
    .action(async (dir: string, options: InitOptions) => {
      const { io } = ctx;
      const root = absolute(io.cwd, dir);
      if (existsSync(root) && !(await stat(root)).isDirectory()) {
        throw new UcopError('USAGE', `${dir} is a file: give the project directory to write the starter files into`, { fields: { path: root } });
      }
      const written: string[] = [];
      const kept: string[] = [];
      for (const file of STARTER_FILES) {
        const target = join(root, file.path);
        if (existsSync(target) && !options.force) {
          kept.push(file.path);
          continue;
        }
        await mkdir(dirname(target), { recursive: true });
        if (file.header === undefined) await copyFile(file.source, target);
        else await writeFile(target, file.header + (await readFile(file.source, 'utf8')));
        written.push(file.path);
      }
      const where = displayPath(io.cwd, root);
      for (const path of written) io.stdout.write(`wrote ${join(where, path)}\n`);
      for (const path of kept) io.stdout.write(`kept ${join(where, path)} (exists; --force overwrites it)\n`);
      const cd = where === '.' ? '' : `cd ${where} && `;
      io.stdout.write(`\nnext: ${cd}npx ucop run workflows/hello.yaml\n`);
      ctx.setExitCode(EXIT_CODES.success);
    });
}
