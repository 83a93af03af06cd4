import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT_CODES, acquireRunLock, estimatePlan } from '@ucop/core';
import type { CompiledPlan, SettingSource } from '@ucop/core';
import { checkArticleFile } from '../article-file.ts';
import { globalOptions } from '../command-context.ts';
import type { CommandContext } from '../command-context.ts';
import { PromptCapture, formatPrompts } from '../dry-run.ts';
import { diagnosticsError, exitCodeForRunStatus } from '../exit-status.ts';
import { formatGenerateReport, postGenerator } from '../generate-report.ts';
import type { GenerateSummary } from '../generate-report.ts';
import { checkRequiredInputs } from '../input-values.ts';
import { commaList } from '../option-parsers.ts';
import { checkOutputDirectory, traceFileFor } from '../output-paths.ts';
import { buildPlanReport, formatPlanReport } from '../plan-report.ts';
import { INSTALL_ROOT, absolute, displayPath, loadProjectContext, pathForProcess } from '../project-context.ts';
import type { ProjectContext } from '../project-context.ts';
import { resumeOption } from '../resume-option.ts';
import { writeReportAfterRun } from '../report/report-after-run.ts';
import { engineFlagOptions, flagsLayer } from '../settings-flags.ts';
import type { EngineFlagOptions } from '../settings-flags.ts';
import { resolveStepFilesOption, stepFilesFlagOptions } from '../step-files-option.ts';
import type { StepFilesFlagOptions } from '../step-files-option.ts';
import { executePlan } from '../workflow-execution.ts';
import { compileWorkflowFile } from '../workflow-compilation.ts';

interface GenerateOptions extends EngineFlagOptions, StepFilesFlagOptions {
  input: string;
  out?: string;
  workflow?: string;
  keywords?: string[];
  provider?: string;
  wait?: boolean;
  dryRun?: boolean;
  resume?: boolean;
  fromStep?: string;
  trace?: string | boolean;
  json?: boolean;
  quiet?: boolean;
  report?: boolean;
}

/** The workflow `ucop generate` runs unless `-w` names another: shipped with the installation. */
export const BLOG_WORKFLOW = resolve(INSTALL_ROOT, 'workflows/blog_generation.yaml');

/**
 * `ucop generate -i article.md -o out/`: the blog pipeline on one article. Sibling `api/` and `posts/`
 * directories of the article are used as the API reference and the archive when they exist.
 */
export function registerGenerateCommand(program: Command, ctx: CommandContext): void {
  const generate = program
    .command('generate')
    .description('turn a markdown article into a blog post (offline unless a provider is configured)')
    .requiredOption('-i, --input <article>', 'the markdown article')
    .option('-o, --out <dir>', 'output directory (default: out/<article name>)')
    .option('-w, --workflow <file>', 'workflow to run instead of the shipped blog_generation')
    .option('--keywords <list>', 'comma-separated keywords the post must cover', commaList)
    .option('--provider <name>', 'text-model provider (default: the first with a key or a live server, else offline)')
    .option('--no-wait', 'fail at once (RATE_LIMIT_NO_WAIT) instead of waiting when a provider or stage limit is full');
  // The engine flags `run` takes, with the same meaning and precedence.
  for (const option of engineFlagOptions()) generate.addOption(option);
  for (const option of stepFilesFlagOptions()) generate.addOption(option);
  generate
    .option('--dry-run', 'render every prompt and the plan without calling any model; writes nothing to the output directory but dry-run/')
    .option('--resume', 'reuse the results of the previous run in the output directory whose inputs did not change')
    .option('--from-step <id>', 'rerun this step and everything downstream of it, reusing the rest (implies --resume)')
    .option('--trace [file]', 'write OpenTelemetry spans to a JSON file (default file: <out>/trace.json)')
    .option('--json', 'print one JSON document (no progress)')
    .option('-q, --quiet', 'no progress output, only the summary')
    .option('--report', 'also write an HTML report of the run to <out>/report.html (see ucop report)')
    .action(async (options: GenerateOptions, command: Command) => {
      const { io } = ctx;
      const article = absolute(io.cwd, options.input);
      await checkArticleFile(article, options.input, io.signal);
      const project = await loadProjectContext(io, globalOptions(command));
      const workflow = options.workflow ?? displayPath(io.cwd, BLOG_WORKFLOW);
      const outcome = await compileWorkflowFile(workflow, project, io, flagsLayer(options));
      if (!outcome.ok) throw diagnosticsError(outcome.diagnostics);
      const { plan } = outcome;
      const inputs = articleInputs(plan, io.cwd, article, options.keywords ?? []);
      checkRequiredInputs(inputs, plan.inputs);
      const stepFiles = resolveStepFilesOption(options, io.env, project);
      const outArg = options.out ?? join('out', basename(article, extname(article)));
      const outDir = absolute(io.cwd, outArg);
      checkOutputDirectory(outDir, outArg);
      const traceFile = traceFileFor(options.trace, io.cwd, outDir);
      if (options.dryRun) {
        ctx.setExitCode(await dryRun(ctx, { plan, sources: outcome.sources, project, inputs, outDir, json: options.json === true }));
        return;
      }
      const { createLlmSetup } = await import('../llm-setup.ts');
      const { LimitWaitNotes } = await import('../progress/limit-wait-notes.ts');
      const limitWaits = new LimitWaitNotes();
      const llm = await createLlmSetup(io, project, {
        eager: true,
        ...(options.provider === undefined ? {} : { provider: options.provider }),
        ...(options.wait === false ? { wait: false } : {}),
        onLimitWait: limitWaits.notify,
      });
      const selection = llm.selection();
      if (selection && !options.json && !options.quiet) io.stderr.write(`Writing with ${selection.provider}: ${selection.detail}\n`);
      const { record, summary } = await executePlan(io, {
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
      }).finally(() => llm.close());
      const postPath = typeof record.outputs['post'] === 'string' ? absolute(io.cwd, record.outputs['post']) : undefined;
      const generator = postPath && existsSync(postPath) ? postGenerator(await readFile(postPath, 'utf8')) : null;
      const fallbacks = llm.fallbacks();
      const report: GenerateSummary = {
        ...summary,
        ...(fallbacks.length > 0 ? { fallbacks } : {}),
        post: postPath ? displayPath(io.cwd, postPath) : null,
        provider: selection ? { ...selection } : null,
        generator,
      };
      io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatGenerateReport(report, { quiet: options.quiet === true }));
      if (options.report) await writeReportAfterRun(io, outDir, options.json === true);
      ctx.setExitCode(exitCodeForRunStatus(summary.status));
    });
}

/**
 * The blog workflow's inputs for an article: the source, the keywords, and the article's sibling `api/` and
 * `posts/` directories when they exist ('' otherwise: those steps then yield no sources). Inputs the
 * workflow does not declare are left out, so `-w` can name a workflow with fewer inputs.
 */
export function articleInputs(plan: Pick<CompiledPlan, 'inputs'>, cwd: string, article: string, keywords: readonly string[]): Record<string, unknown> {
  const dir = dirname(article);
  const sibling = (name: string): string => {
    const path = join(dir, name);
    return existsSync(path) && statSync(path).isDirectory() ? pathForProcess(cwd, path) : '';
  };
  const candidates: Record<string, () => unknown> = {
    source: () => pathForProcess(cwd, article),
    keywords: () => [...keywords],
    api_dir: () => sibling('api'),
    archive_dir: () => sibling('posts'),
  };
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(candidates)) if (Object.hasOwn(plan.inputs, key)) inputs[key] = value();
  return inputs;
}

interface DryRunRequest {
  plan: CompiledPlan;
  sources: Record<string, SettingSource>;
  project: ProjectContext;
  inputs: Record<string, unknown>;
  outDir: string;
  json: boolean;
}

/**
 * Renders every prompt and the plan without calling a model: the workflow runs in a scratch directory with
 * the sequential engine and the offline writer answering, each prompt is recorded with its step, and the
 * prompts and plan are printed and saved under `<out>/dry-run/`. The real output directory is otherwise
 * untouched, so a later `--resume` does not pick up offline results.
 */
async function dryRun(ctx: CommandContext, request: DryRunRequest): Promise<number> {
  const { io } = ctx;
  const { plan, sources, project, inputs, outDir, json } = request;
  const workers = plan.settings.parallel ? plan.settings.maxParallel : 1;
  const planReport = buildPlanReport(plan, estimatePlan(plan, workers), sources);
  const capture = new PromptCapture();
  // It writes only <out>/dry-run/, but not while another run holds the directory.
  const lock = await acquireRunLock(outDir);
  const scratch = await mkdtemp(join(tmpdir(), 'ucop-dry-run-'));
  try {
    const { summary } = await executePlan(io, {
      plan,
      project,
      inputs,
      outDir: scratch,
      llm: capture.client,
      engine: 'sequential',
      onEvent: capture.onEvent,
      json: true,
      quiet: true,
    });
    const dir = resolve(outDir, 'dry-run');
    await mkdir(dir, { recursive: true });
    await writeFile(resolve(dir, 'plan.json'), `${JSON.stringify(planReport, null, 2)}\n`);
    await writeFile(resolve(dir, 'prompts.json'), `${JSON.stringify(capture.prompts, null, 2)}\n`);
    await writeFile(resolve(dir, 'prompts.md'), formatPrompts(capture.prompts));
    if (json) {
      io.stdout.write(`${JSON.stringify({ dryRun: true, status: summary.status, errors: summary.errors, plan: planReport, prompts: capture.prompts, savedTo: displayPath(io.cwd, dir) }, null, 2)}\n`);
    } else {
      io.stdout.write(formatPlanReport(planReport));
      io.stdout.write('\n');
      io.stdout.write(formatPrompts(capture.prompts));
      io.stdout.write(`\nDry run: ${capture.prompts.length} prompt${capture.prompts.length === 1 ? '' : 's'} rendered, no model called `);
      io.stdout.write(`(answers to earlier prompts came from the offline writer). Saved to ${displayPath(io.cwd, dir)}/\n`);
      for (const error of summary.errors) io.stderr.write(`${error.code} ${error.message}\n`);
    }
    return summary.status === 'succeeded' ? EXIT_CODES.success : exitCodeForRunStatus(summary.status);
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await lock.release();
  }
}
