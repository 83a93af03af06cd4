import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import type { Command } from 'commander';
import { globalOptions } from '../command-context.ts';
import type { CommandContext } from '../command-context.ts';
import { collect, nonNegativeInteger, positiveInteger } from '../option-parsers.ts';
import { absolute, loadProjectContext } from '../project-context.ts';

interface ServeOptions {
  host: string;
  port: number;
  dataDir?: string;
  maxConcurrent: number;
  workflows: string;
  drainTimeout: number;
  retainRuns: number;
  retainDays: number;
  maxCrashes: number;
  bodyLimit: number;
  rateLimit: number;
  allowHost?: string[];
  queueSync: 'normal' | 'full';
  executor: 'local' | 'bullmq';
  redis?: string;
  queue: string;
}



/**
 * `ucop serve`: the daemon. Runs until SIGTERM or Ctrl-C, then drains (see RUNBOOK.md "The daemon"): it stops
 * starting runs, waits for the running ones up to --drain-timeout, cancels the rest (they resume at the next
 * start) and exits 0. A second signal cancels at once.
 */
export function registerServeCommand(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description('run the daemon: a durable queue of submitted runs, a pool running them, and an HTTP API (see RUNBOOK.md)')
    .option('--host <address>', 'address to bind; anything but loopback exposes the API to the network', '127.0.0.1')
    .option('--port <n>', 'port (0: any free port)', nonNegativeInteger, 7070)
    .option('--data-dir <dir>', 'queue, token file and run directories (default: $UCOP_DATA_DIR or .ucop)')
    .option('--max-concurrent <n>', 'runs at once', positiveInteger, 5)
    .option('--workflows <dir>', 'directory of the workflows clients may submit, by file name without .yaml (.yml, .json)', 'workflows')
    .option('--drain-timeout <seconds>', 'on SIGTERM, how long running runs may go on before they are cancelled (to resume at the next start)', nonNegativeInteger, 30)
    .option('--retain-runs <n>', 'finished runs kept (the oldest are deleted with their directories)', positiveInteger, 1000)
    .option('--retain-days <n>', 'finished runs older than this are deleted', positiveInteger, 7)
    .option('--max-crashes <n>', 'a run found running at start this many times goes to dead_letter', positiveInteger, 3)
    .option('--body-limit <bytes>', 'largest request body', positiveInteger, 1024 * 1024)
    .option('--rate-limit <n>', 'requests per minute per client address', positiveInteger, 600)
    .addOption(new Option('--queue-sync <mode>', 'normal: the queue survives a crash of the daemon; full: also a power cut (an fsync per change)').choices(['normal', 'full']).default('normal'))
    .option('--allow-host <name>', 'another name the Host header may carry, e.g. behind a proxy (repeatable)', collect)
    .addOption(new Option('--executor <executor>', 'who runs the steps of the runs: this process, or `ucop worker` processes through Redis').choices(['local', 'bullmq']).default('local'))
    .option('--redis <url>', 'Redis URL for --executor bullmq (default: UCOP_REDIS_URL)')
    .option('--queue <name>', 'queue name for --executor bullmq; the workers must use the same', 'ucop-steps')
    .action(async (options: ServeOptions, command: Command) => {
      const { io } = ctx;
      const project = await loadProjectContext(io, globalOptions(command));
      // Loaded here: `ucop --help` and every other command do not pay for fastify and the provider layer.
      const [{ startDaemon }, { createLlmSetup }, { WorkflowsDirectory }, { LocalRunExecutor }] = await Promise.all([
        import('@ucop/server'),
        import('../llm-setup.ts'),
        import('../serve/workflows-directory.ts'),
        import('../serve/local-run-executor.ts'),
      ]);
      const llm = await createLlmSetup(io, project);
      const workflows = new WorkflowsDirectory(absolute(io.cwd, options.workflows), project, io);
      // Redis is checked before the daemon takes its data directory: unreachable or evicting, it does not start.
      const steps = options.executor === 'bullmq' ? await openRunSteps(options, io.env) : undefined;
      if (steps) io.stderr.write(`ucop serve: the runs' steps go to \`ucop worker\` processes on queue ${options.queue} at ${steps.where}\n`);
      const executor = new LocalRunExecutor({ workflows, project, llm, env: io.env, ...(steps ? { steps } : {}) });
      const dataDir = absolute(io.cwd, options.dataDir ?? io.env['UCOP_DATA_DIR'] ?? '.ucop');
      try {
        const daemon = await startDaemon({
          dataDir,
          host: options.host,
          port: options.port,
          maxConcurrent: options.maxConcurrent,
          executor,
          catalog: workflows,
          env: io.env,
          drainTimeoutMs: options.drainTimeout * 1000,
          retention: { maxCount: options.retainRuns, maxAgeMs: options.retainDays * 24 * 60 * 60 * 1000 },
          maxCrashes: options.maxCrashes,
          bodyLimit: options.bodyLimit,
          rateLimit: { max: options.rateLimit, windowMs: 60_000 },
          allowHosts: options.allowHost ?? [],
          queueSync: options.queueSync,
          log: (line) => io.stderr.write(`ucop serve: ${line}\n`),
          version: (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version,
        });
        // The address on stdout, alone, for scripts (`--port 0`); the log on stderr.
        io.stdout.write(`${daemon.url}\n`);
        if (!io.signal.aborted) await new Promise<void>((resolve) => io.signal.addEventListener('abort', () => resolve(), { once: true }));
        await daemon.stop(io.urgentSignal);
      } finally {
        await steps?.close();
      }
      ctx.setExitCode(0);
    });
}

/** Loaded only for --executor bullmq: a plain `ucop serve` never loads BullMQ. */
async function openRunSteps(options: ServeOptions, env: Record<string, string | undefined>) {
  const { redisUrlOf } = await import('./worker.ts');
  const url = redisUrlOf(options.redis, env, 'ucop serve --executor bullmq');
  const { BullmqRunSteps } = await import('../serve/bullmq-run-steps.ts');
  return BullmqRunSteps.open(url, options.queue);
}
