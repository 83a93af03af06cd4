import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { absolute, displayPath } from '../project-context.ts';

interface ReportOptions {
  out?: string;
}

/** `ucop report <run dir> [-o file]`: the run as one self-contained HTML page (timeline, figures, usage, errors). */
export function registerReportCommand(program: Command, ctx: CommandContext): void {
  program
    .command('report')
    .description('write an HTML report of a run (a timeline of its steps, waits and critical path; usage; errors); opens offline')
    .argument('<run-dir>', 'the output directory of a run (holding run.json)')
    .option('-o, --out <file>', 'the HTML file to write (default: <run-dir>/report.html)')
    .action(async (runDir: string, options: ReportOptions) => {
      const { io } = ctx;
      // Loaded on demand: only this command (and --report) needs the report code.
      const { writeRunReport } = await import('../report/write-report.ts');
      const written = await writeRunReport(absolute(io.cwd, runDir), options.out === undefined ? undefined : absolute(io.cwd, options.out), runDir);
      io.stdout.write(`Report written to ${displayPath(io.cwd, written)}\n`);
    });
}
