import { join } from 'node:path';
import type { Command } from 'commander';
import { EXIT_CODES, UcopError } from '@ucop/core';
import type { CommandContext } from '../command-context.ts';
import { CLI_PACKAGE_ROOT, INSTALL_ROOT } from '../install-root.ts';
import { seedWorkloads } from '../bench/standard-workloads.ts';
import { commaList, nonNegativeInteger, positiveInteger, positiveNumber } from '../option-parsers.ts';

interface BenchCommandOptions {
  workloads?: string[];
  repeats?: number;
  scale?: number;
  noopSteps?: number;
  randomDags?: number;
  scaleSteps?: number;
  levels: boolean;
  json?: boolean;
  startup?: boolean;
  groups?: boolean;
}

/**
 * `ucop bench`: runs the standard workloads (../bench/) and prints wall time, speedup over sequential, ratio
 * to the lower bound, per-step overhead, and level-by-level scheduling for comparison.
 */
export function registerBenchCommand(program: Command, ctx: CommandContext): void {
  program
    .command('bench')
    .description('measure the engine on the standard workloads: speedup, ratio to the lower bound, overhead')
    .option('--workloads <names>', `comma-separated workloads to run: ${seedWorkloads().map((w) => w.name).join(', ')} (default: all, then the random DAGs and the overhead figure; naming some runs only those)`, commaList)
    .option('--repeats <n>', 'runs per workload and scheduling; the best counts (default: 3)', positiveInteger)
    .option('--scale <factor>', 'multiply every simulated duration (default: 1)', positiveNumber)
    .option('--noop-steps <n>', 'no-op steps for the per-step overhead figure; 0 skips it (default: 10000)', nonNegativeInteger)
    .option('--random-dags <n>', 'random layered DAGs for the engine benchmark; 0 skips them (default: 3)', nonNegativeInteger)
    .option('--scale-steps <n>', 'steps of the layered DAG compared with the floor (a minimal list scheduler); 0 skips it (default: 50000)', nonNegativeInteger)
    .option('--no-levels', 'skip the level-by-level comparison')
    .option('--json', 'print the report as one JSON document')
    .option('--startup', 'measure start-up instead: ucop --version, --help and validate of the blog workflow as whole processes, paired with node -e 0')
    .option('--groups', 'measure groups instead: a 15 chapters x 4 stages pipeline under a cap of 5 against its lower bound, and a nested 1,000-leaf fan-out against a flat one')
    .action(async (options: BenchCommandOptions) => {
      const { io } = ctx;
      if (options.groups) {
        await groupsBench(ctx, options);
        return;
      }
      if (options.startup) {
        await startupBench(ctx, options);
        return;
      }
      // Loaded on demand: the harness is only needed here and by verify.
      const { runBench, benchWorkloads, formatBenchTable } = await import('../bench/index.ts');
      const known = benchWorkloads({}).map((w) => w.name);
      const unknown = (options.workloads ?? []).filter((name) => !known.includes(name));
      if (unknown.length > 0) {
        throw new UcopError('USAGE', `--workloads: unknown workload${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; choose from ${known.join(', ')}`);
      }
      const report = await runBench({
        signal: io.signal,
        levels: options.levels,
        ...(options.workloads ? { workloads: options.workloads } : {}),
        ...(options.repeats !== undefined ? { repeats: options.repeats } : {}),
        ...(options.scale !== undefined ? { scale: options.scale } : {}),
        ...(options.noopSteps !== undefined ? { noopSteps: options.noopSteps } : {}),
        ...(options.randomDags !== undefined ? { randomDags: options.randomDags } : {}),
        ...(options.scaleSteps !== undefined ? { scaleSteps: options.scaleSteps } : {}),
        ...(options.json ? {} : { onWorkload: (m) => io.stderr.write(`measured ${m.workload}\n`) }),
      });
      io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatBenchTable(report));
      ctx.setExitCode(EXIT_CODES.success);
    });
}

/** `ucop bench --startup`: the start-up ratios (see ../bench/startup-benchmark.ts). */
async function startupBench(ctx: CommandContext, options: BenchCommandOptions): Promise<void> {
  const { io } = ctx;
  const { runStartupBench, standardStartupCases, formatStartupTable } = await import('../bench/index.ts');
  const workflow = join(INSTALL_ROOT, 'workflows', 'blog_generation.yaml');
  const figures = runStartupBench(standardStartupCases(workflow), {
    binary: join(CLI_PACKAGE_ROOT, 'bin', 'ucop.js'),
    cwd: io.cwd,
    signal: io.signal,
    ...(options.repeats !== undefined ? { runs: options.repeats } : {}),
  });
  io.stdout.write(options.json ? `${JSON.stringify({ startup: figures }, null, 2)}\n` : formatStartupTable(figures));
  ctx.setExitCode(EXIT_CODES.success);
}

/** `ucop bench --groups`: the groups benchmark of @ucop/core (issue 8). */
async function groupsBench(ctx: CommandContext, options: BenchCommandOptions): Promise<void> {
  const { io } = ctx;
  const { benchmarkGroups } = await import('@ucop/core');
  const report = await benchmarkGroups(options.repeats !== undefined ? { runs: options.repeats } : {});
  const { pipeline: p, nested: n } = report;
  const text = [
    `pipeline: ${p.chapters} chapters x ${p.stages} stages, cap ${p.cap} (virtual clock)`,
    `  makespan ${p.makespanMs} ms, lower bound ${Math.round(p.lowerBoundMs)} ms: ${p.ratio.toFixed(3)}x (the same work as barrier fan-outs: ${p.barrierMakespanMs} ms, ${p.barrierRatio.toFixed(3)}x)`,
    `nested fan-out: ${n.leaves} no-op leaves in 3 levels against a flat fan-out of ${n.leaves} (best runs, interleaved)`,
    `  ${n.nestedUsPerTask.toFixed(1)} µs per task nested, ${n.flatUsPerTask.toFixed(1)} µs flat: ${n.ratio.toFixed(2)}x`,
    '',
  ].join('\n');
  io.stdout.write(options.json ? `${JSON.stringify({ groups: report }, null, 2)}\n` : text);
  ctx.setExitCode(EXIT_CODES.success);
}
