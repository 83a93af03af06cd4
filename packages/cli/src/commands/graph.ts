import { Option } from 'commander';
import type { Command } from 'commander';
import { EXIT_CODES, renderGraph } from '@ucop/core';
import { globalOptions } from '../command-context.ts';
import type { CommandContext } from '../command-context.ts';
import { diagnosticsError } from '../exit-status.ts';
import { loadProjectContext } from '../project-context.ts';
import { compileWorkflowFile } from '../workflow-compilation.ts';

interface GraphOptions {
  format: 'mermaid' | 'dot';
}

/** `ucop graph <file>`: the step graph as Mermaid (for Markdown) or DOT (for Graphviz). */
export function registerGraphCommand(program: Command, ctx: CommandContext): void {
  program
    .command('graph')
    .description('print the step graph of a workflow as Mermaid or Graphviz DOT')
    .argument('<file>', 'workflow file')
    .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'))
    .action(async (file: string, options: GraphOptions, command: Command) => {
      const { io } = ctx;
      const project = await loadProjectContext(io, globalOptions(command));
      const outcome = await compileWorkflowFile(file, project, io);
      if (!outcome.ok) throw diagnosticsError(outcome.diagnostics);
      const text = renderGraph(outcome.plan, options.format);
      io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      ctx.setExitCode(EXIT_CODES.success);
    });
}
