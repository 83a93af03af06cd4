import type { Command } from 'commander';
import { EXIT_CODES, UcopError } from '@ucop/core';
import type { CommandContext } from '../command-context.ts';
import { commaList } from '../option-parsers.ts';
import { absolute } from '../project-context.ts';
import { CHECK_NAMES } from '../verify/verify-options.ts';

interface VerifyCommandOptions {
  workflows?: string;
  only?: string[];
  json?: boolean;
}

/**
 * `ucop verify`: checks that the installation and the user's workflows still work after an upgrade (the
 * checks live in ../verify/). Exits 1 when any check fails.
 */
export function registerVerifyCommand(program: Command, ctx: CommandContext): void {
  program
    .command('verify')
    .description('check the installation and your workflows: versions, validation, engine parity, exactly-once, timeouts, fail-fast, resume, speedup')
    .option('--workflows <dir>', 'your workflow directory: every *.yaml in it is validated too (default: workflows_dir of config/main.yaml)')
    .option('--only <checks>', `comma-separated checks to run: ${CHECK_NAMES.join(', ')} (default: all)`, commaList)
    .option('--json', 'print the report as one JSON document')
    .action(async (options: VerifyCommandOptions) => {
      const { io } = ctx;
      // Loaded on demand: the checks pull in the benchmark harness, which no other command needs.
      const { runVerify, formatVerifySummary, formatCheckLine, toleranceFromEnv } = await import('../verify/index.ts');
      const unknown = (options.only ?? []).filter((name) => !(CHECK_NAMES as readonly string[]).includes(name));
      if (unknown.length > 0) {
        throw new UcopError('USAGE', `--only: unknown check${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; choose from ${CHECK_NAMES.join(', ')}`);
      }
      const tolerance = toleranceFromEnv(io.env);
      const report = await runVerify({
        cwd: io.cwd,
        signal: io.signal,
        ...(options.workflows !== undefined ? { workflowsDir: absolute(io.cwd, options.workflows) } : {}),
        ...(options.only ? { checks: options.only as (typeof CHECK_NAMES)[number][] } : {}),
        ...(tolerance === undefined ? {} : { speedupTolerance: tolerance }),
        // Each check's line is printed as soon as it ends (the slower ones take seconds), then the summary.
        ...(options.json ? {} : { onCheck: (check) => io.stdout.write(`${formatCheckLine(check)}\n`) }),
      });
      io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `\n${formatVerifySummary(report)}\n`);
      ctx.setExitCode(report.ok ? EXIT_CODES.success : EXIT_CODES.general);
    });
}
