import { Option } from 'commander';
import type { Command } from 'commander';
import { EXIT_CODES, estimatePlan } from '@ucop/core';
import { buildPlanReport, formatPlanReport } from '../plan-report.ts';
import { globalOptions } from '../command-context.ts';
import type { CommandContext } from '../command-context.ts';
import { diagnosticsError, exitCodeForRunStatus } from '../exit-status.ts';
import { checkRequiredInputs, parseInputAssignments } from '../input-values.ts';
import { collect } from '../option-parsers.ts';
import { checkOutputDirectory, traceFileFor } from '../output-paths.ts';
import { absolute, loadProjectContext } from '../project-context.ts';
import { resumeOption } from '../resume-option.ts';
import { writeReportAfterRun } from '../report/report-after-run.ts';
import { formatRunSummary } from '../run-summary.ts';
import { engineFlagOptions, flagsLayer } from '../settings-flags.ts';
import type { EngineFlagOptions } from '../settings-flags.ts';
import { resolveStepFilesOption, stepFilesFlagOptions } from '../step-files-option.ts';
import type { StepFilesFlagOptions } from '../step-files-option.ts';
import { executePlan } from '../workflow-execution.ts';
import { compileWorkflowFile } from '../workflow-compilation.ts';

interface RunOptions extends EngineFlagOptions, StepFilesFlagOptions {
  input?: string[];
  out?: string;
  trace?: string | boolean;
  resume?: boolean;
  fromStep?: string;
  json?: boolean;
  quiet?: boolean;
  report?: boolean;
  executor: 'local' | 'bullmq';
  redis?: string;
  queue: string;
  wait?: boolean;
  dryRun?: boolean;
}

/**
 * `ucop run <workflow>`: runs any workflow, writes `<out>/run.json` and the step outputs, prints the summary
 * and exits by the run's status (failed 4, timed out 5).
 */
export function registerRunCommand(program: Command, ctx: CommandContext): void {
  const run = program
    .command('run')
    .description('run a workflow; writes <out>/run.json and each step output under <out>/steps/')
    .argument('<workflow>', 'workflow file')
    .option('-i, --input <key=value>', 'a workflow input, parsed by its declared type (repeatable; arrays: a,b,c or JSON)', collect)
    .option('-o, --out <dir>', 'output directory, created if missing; other files in it are left alone (default: out/<workflow name>)');
  for (const option of engineFlagOptions()) run.addOption(option);
  for (const option of stepFilesFlagOptions()) run.addOption(option);
  run
    .option('--trace [file]', 'write OpenTelemetry spans to a JSON file (default file: <out>/trace.json)')
    .option('--provider <name>', 'text-model provider for steps that call one (default: the first with a key or a live server, else offline)')
    .option('--resume', 'reuse the results of the previous run in the output directory whose inputs did not change')
    .option('--from-step <id>', 'rerun this step and everything downstream of it, reusing the rest (implies --resume)')
    .option('--json', 'print the run summary as one JSON document (no progress)')
    .option('-q, --quiet', 'no progress output, only the summary')
    .option('--report', 'also write an HTML report of the run to <out>/report.html (see ucop report)')
    .addOption(new Option('--executor <executor>', 'who runs the steps: this process, or `ucop worker` processes through Redis').choices(['local', 'bullmq']).default('local'))
    .option('--redis <url>', 'Redis URL for --executor bullmq (default: UCOP_REDIS_URL)')
    .option('--queue <name>', 'queue name for --executor bullmq; the workers must use the same', 'ucop-steps')
    .option('--no-wait', 'fail at once (RATE_LIMIT_NO_WAIT) instead of waiting when a provider or stage limit is full')
    .option('--dry-run', 'validate, compile and resolve the inputs, print the plan, and run nothing (writes nothing)')
    .action(async (workflow: string, options: RunOptions, command: Command) => {
      const { io } = ctx;
      const project = await loadProjectContext(io, globalOptions(command));
      const outcome = await compileWorkflowFile(workflow, project, io, flagsLayer(options));
      if (!outcome.ok) throw diagnosticsError(outcome.diagnostics);
      const { plan } = outcome;
      const inputs = parseInputAssignments(options.input ?? [], plan.inputs);
      checkRequiredInputs(inputs, plan.inputs);
      if (options.dryRun) {
        const report = buildPlanReport(plan, estimatePlan(plan, plan.settings.parallel ? plan.settings.maxParallel : 1), outcome.sources);
        io.stdout.write(options.json ? `${JSON.stringify({ dryRun: true, inputs, plan: report }, null, 2)}\n` : `${formatPlanReport(report)}dry run: the workflow is valid and its inputs resolve; nothing was run\n`);
        ctx.setExitCode(EXIT_CODES.success);
        return;
      }
      const stepFiles = resolveStepFilesOption(options, io.env, project);
      const outDir = absolute(io.cwd, options.out ?? `out/${plan.workflow}`);
      checkOutputDirectory(outDir, options.out ?? `out/${plan.workflow}`);
      const traceFile = traceFileFor(options.trace, io.cwd, outDir);
      // Loaded on demand: only run and generate need the provider layer.
      const { createLlmSetup } = await import('../llm-setup.ts');
      const { LimitWaitNotes } = await import('../progress/limit-wait-notes.ts');
      const limitWaits = new LimitWaitNotes();
      const llm = await createLlmSetup(io, project, {
        ...(options.provider === undefined ? {} : { provider: options.provider }),
        ...(options.wait === false ? { wait: false } : {}),
        onLimitWait: limitWaits.notify,
      });
      const remote = options.executor === 'bullmq' ? await openBullmqExecutor(options, io.env, outDir) : undefined;
      const { summary } = await executePlan(io, {
        plan,
        project,
        inputs,
        outDir,
        stepFiles,
        llm: llm.client,
        stageMetrics: llm.stageMetrics,
        limitWaits,
        ...(traceFile !== undefined ? { traceFile } : {}),
        ...resumeOption(options),
        json: options.json === true,
        quiet: options.quiet === true,
        ...(remote ? { executor: remote } : {}),
      }).finally(async () => {
        await remote?.close();
        await llm.close();
      });
      const fallbacks = llm.fallbacks();
      if (fallbacks.length > 0) summary.fallbacks = fallbacks;
      io.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatRunSummary(summary));
      if (options.report) await writeReportAfterRun(io, outDir, options.json === true);
      ctx.setExitCode(exitCodeForRunStatus(summary.status));
    });
}

/** Loaded only for --executor bullmq: a plain `ucop run` never loads BullMQ. */
async function openBullmqExecutor(options: RunOptions, env: Record<string, string | undefined>, outDir: string) {
  const { redisUrlOf } = await import('./worker.ts');
  const url = redisUrlOf(options.redis, env, 'ucop run --executor bullmq');
  const [{ BullmqExecutor, queueNames }, { createArtifactWriter }] = await Promise.all([import('@ucop/worker'), import('@ucop/core')]);
  return BullmqExecutor.open({ redisUrl: url, names: queueNames(options.queue), artifacts: createArtifactWriter(outDir) });
}
