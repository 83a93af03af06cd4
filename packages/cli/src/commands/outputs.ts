import type { Command } from 'commander';
import { findRunOutput, readRunOutputs, writeRunOutputs } from '@ucop/core';
import type { CommandContext } from '../command-context.ts';
import { absolute, displayPath } from '../project-context.ts';

interface OutputsOptions {
  write?: boolean;
}

/** Lines written to stdout at once when listing every unit (a run may have a hundred thousand). */
const LINES_PER_WRITE = 1000;

/**
 * `ucop outputs <dir> [unit]`: the outputs of a run, read from its journal, where every unit's output is
 * whether or not its `steps/` file was written (a large run writes none, see `--step-files`). One unit: its
 * output as JSON. No unit: every unit as JSON lines (the content of its `steps/` file, on one line). `--write`:
 * the `steps/` files themselves, as a run in `all` mode writes them.
 */
export function registerOutputsCommand(program: Command, ctx: CommandContext): void {
  program
    .command('outputs')
    .description("print a run's step outputs from its journal (one unit, or all as JSON lines), or --write its steps/ files")
    .argument('<dir>', 'the output directory of a run (holding journal.ucop)')
    .argument('[unit]', 'a step id, or step[index] (also step.index) for a fan-out item')
    .option('--write', 'write the steps/ files (of the unit, or of every unit) instead of printing; takes the run lock')
    .action(async (dir: string, unit: string | undefined, options: OutputsOptions) => {
      const { io } = ctx;
      const runDir = absolute(io.cwd, dir);
      const all = await readRunOutputs(runDir);
      const chosen = unit === undefined ? all : [findRunOutput(all, unit)];
      if (options.write) {
        const written = await writeRunOutputs(runDir, chosen);
        io.stdout.write(`wrote ${written} step file${written === 1 ? '' : 's'} under ${displayPath(io.cwd, runDir)}/steps/\n`);
        return;
      }
      if (unit !== undefined) {
        io.stdout.write(`${JSON.stringify(chosen[0]!.file.output, null, 2) ?? 'null'}\n`);
        return;
      }
      for (let i = 0; i < chosen.length; i += LINES_PER_WRITE) {
        io.stdout.write(
          chosen
            .slice(i, i + LINES_PER_WRITE)
            .map((o) => `${JSON.stringify(o.file)}\n`)
            .join(''),
        );
      }
    });
}
