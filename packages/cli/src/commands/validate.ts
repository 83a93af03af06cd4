import type { Command } from 'commander';
import { EXIT_CODES } from '@ucop/core';
import type { Diagnostic } from '@ucop/core';
import { globalOptions } from '../command-context.ts';
import type { CommandContext } from '../command-context.ts';
import { printDiagnostics } from '../exit-status.ts';
import { loadProjectContext } from '../project-context.ts';
import { compileWorkflowFile } from '../workflow-compilation.ts';

interface ValidateOptions {
  json?: boolean;
}

/** The `--json` document of `ucop validate`. */
export interface ValidateReport {
  valid: boolean;
  files: { file: string; valid: boolean; diagnostics: Diagnostic[] }[];
}

/**
 * `ucop validate <files...>`: checks every file (schema, semantics, and that it compiles) and prints all
 * errors of all files, not just the first. Exit 3 when any file is invalid, missing or unreadable.
 */
export function registerValidateCommand(program: Command, ctx: CommandContext): void {
  program
    .command('validate')
    .description('check workflow files: schema, references, agents, cycles, state races')
    .argument('<files...>', 'workflow files')
    .option('--json', 'print one JSON document with the diagnostics of each file')
    .action(async (files: string[], options: ValidateOptions, command: Command) => {
      const { io } = ctx;
      const project = await loadProjectContext(io, globalOptions(command));
      const report: ValidateReport = { valid: true, files: [] };
      const all: Diagnostic[] = [];
      for (const file of files) {
        const outcome = await compileWorkflowFile(file, project, io);
        const diagnostics = outcome.ok ? [] : outcome.diagnostics;
        report.files.push({ file, valid: outcome.ok, diagnostics });
        report.valid &&= outcome.ok;
        all.push(...diagnostics);
      }
      if (options.json) {
        io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        printDiagnostics(io, all);
        for (const entry of report.files) if (entry.valid) io.stdout.write(`${entry.file}: valid\n`);
        const invalid = report.files.filter((f) => !f.valid).length;
        if (invalid > 0) io.stderr.write(`${invalid} of ${files.length} file${files.length === 1 ? '' : 's'} invalid, ${all.length} error${all.length === 1 ? '' : 's'}\n`);
      }
      // docs/workflow-reference.md: validate exits 3 when there is any problem, a missing or unreadable file included.
      ctx.setExitCode(report.valid ? EXIT_CODES.success : EXIT_CODES.invalid);
    });
}
