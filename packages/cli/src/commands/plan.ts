import type { Command } from 'commander';
import { EXIT_CODES, estimatePlan } from '@ucop/core';
import { globalOptions } from '../command-context.ts';
import type { CommandContext } from '../command-context.ts';
import { diagnosticsError } from '../exit-status.ts';
import { positiveInteger } from '../option-parsers.ts';
import { buildPlanReport, formatPlanReport } from '../plan-report.ts';
import { loadProjectContext } from '../project-context.ts';
import { compileWorkflowFile } from '../workflow-compilation.ts';

interface PlanOptions {
  maxParallel?: number;
  json?: boolean;
}

/**
 * `ucop plan <file>`: what the scheduler will do, without running anything: the parallel groups detected
 * from the graph, the critical path, the makespan lower bound for the worker count and the estimated speedup.
 */
export function registerPlanCommand(program: Command, ctx: CommandContext): void {
  program
    .command('plan')
    .description('show the parallel groups, critical path, lower bound and estimated speedup of a workflow')
    .argument('<file>', 'workflow file')
    .option('--max-parallel <n>', 'number of workers to estimate for (default: the effective max_parallel)', positiveInteger)
    .option('--json', 'print the plan as one JSON document')
    .action(async (file: string, options: PlanOptions, command: Command) => {
      const { io } = ctx;
      const project = await loadProjectContext(io, globalOptions(command));
      const outcome = await compileWorkflowFile(file, project, io, options.maxParallel === undefined ? {} : { max_parallel: options.maxParallel });
      if (!outcome.ok) throw diagnosticsError(outcome.diagnostics);
      const { plan } = outcome;
      const workers = plan.settings.parallel ? plan.settings.maxParallel : 1;
      const report = buildPlanReport(plan, estimatePlan(plan, workers), outcome.sources);
      io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatPlanReport(report));
      ctx.setExitCode(EXIT_CODES.success);
    });
}
