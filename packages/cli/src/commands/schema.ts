import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';

/** `ucop schema`: prints the workflow JSON Schema (draft 2020-12), the same file editors use. */
export function registerSchemaCommand(program: Command, ctx: CommandContext): void {
  program
    .command('schema')
    .description('print the JSON Schema of workflow files (for editors and other tools)')
    .action(async () => {
      const path = fileURLToPath(import.meta.resolve('@ucop/core/schema/workflow.schema.json'));
      const text = await readFile(path, 'utf8');
      ctx.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      ctx.setExitCode(0);
    });
}
