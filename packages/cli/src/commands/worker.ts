import type { Command } from 'commander';
import { UcopError, createLogger } from '@ucop/core';
import { globalOptions } from '../command-context.ts';
import type { CommandContext } from '../command-context.ts';
import { nonNegativeInteger, positiveInteger } from '../option-parsers.ts';
import { loadProjectContext } from '../project-context.ts';

interface WorkerOptions {
  redis?: string;
  queue: string;
  concurrency: number;
  lockDuration: number;
  stalledInterval: number;
  maxDeliveries: number;
  shutdownGrace: number;
  maxResultBytes: number;
  metricsPort?: number;
  metricsHost: string;
  provider?: string;
  logJson?: boolean;
}

/** The Redis URL from `--redis`, else UCOP_REDIS_URL; one of them is required. */
export function redisUrlOf(flag: string | undefined, env: Record<string, string | undefined>, command: string): string {
  const url = flag ?? env['UCOP_REDIS_URL'];
  if (!url) throw new UcopError('USAGE', `${command} needs Redis: give --redis redis://host:6379 or set UCOP_REDIS_URL`, {});
  return url;
}

/**
 * `ucop worker`: takes step jobs from the BullMQ queue on Redis and runs them with this project's agents,
 * plugins and providers (the same configuration as `ucop run`). SIGTERM or Ctrl-C: stop taking jobs, let
 * the running ones finish within --shutdown-grace, hand the rest back to the queue, exit 0.
 */
export function registerWorkerCommand(program: Command, ctx: CommandContext): void {
  program
    .command('worker')
    .description('take steps of distributed runs from Redis (BullMQ) and run them; see `ucop run --executor bullmq`')
    .option('--redis <url>', 'Redis URL, e.g. redis://10.0.0.5:6379 (default: UCOP_REDIS_URL)')
    .option('--queue <name>', 'queue name; coordinator and workers must agree', 'ucop-steps')
    .option('--concurrency <n>', 'steps run at once by this process', positiveInteger, 4)
    .option('--lock-duration <ms>', 'a running step is presumed dead when its lock is not renewed for this long', positiveInteger, 10_000)
    .option('--stalled-interval <ms>', 'how often to look for steps whose worker died', positiveInteger, 5000)
    .option('--max-deliveries <n>', 'deliveries of one step before it fails for good (a step that kills its worker)', positiveInteger, 2)
    .option('--shutdown-grace <ms>', 'on SIGTERM, how long running steps may finish before they are handed back', nonNegativeInteger, 10_000)
    .option('--max-result-bytes <n>', "largest result (output, state writes, artifacts) a step may send back", positiveInteger, 16 * 1024 * 1024)
    .option('--metrics-port <port>', 'serve /metrics, /readyz and /healthz on this port (0: a free one)', nonNegativeInteger)
    .option('--metrics-host <host>', 'address the metrics port listens on', '127.0.0.1')
    .option('--provider <name>', 'text-model provider for steps that name none (as `ucop run --provider`)')
    .option('--log-json', 'log one JSON object per line')
    .action(async (options: WorkerOptions, command: Command) => {
      const { io } = ctx;
      const url = redisUrlOf(options.redis, io.env, 'ucop worker');
      const project = await loadProjectContext(io, globalOptions(command));
      const { createLlmSetup } = await import('../llm-setup.ts');
      const { StepWorker, WorkerMetrics, queueNames, RedisLimitStore } = await import('@ucop/worker');
      // Provider and stage limits on the same Redis: every worker of every machine draws from one budget.
      const limitStore = await RedisLimitStore.connect(url);
      const llm = await createLlmSetup(io, project, { limitStore, ...(options.provider === undefined ? {} : { provider: options.provider }) });
      const logger = createLogger({ json: options.logJson === true, sink: (line) => void io.stderr.write(`${line}\n`), fields: { pid: process.pid } });
      const metrics = new WorkerMetrics();
      const worker = new StepWorker({
        redisUrl: url,
        names: queueNames(options.queue),
        agents: project.agents,
        llm: llm.client,
        logger,
        concurrency: options.concurrency,
        lockDurationMs: options.lockDuration,
        stalledIntervalMs: options.stalledInterval,
        maxDeliveries: options.maxDeliveries,
        maxResultBytes: options.maxResultBytes,
        metrics,
      });
      const server = options.metricsPort === undefined ? undefined : await metrics.listen(options.metricsPort, options.metricsHost);
      if (server) logger.info(`worker: metrics on http://${options.metricsHost}:${server.port}/metrics`, { port: server.port });
      try {
        await worker.start();
        // The first SIGTERM/Ctrl-C drains; a second one ends the grace at once.
        await new Promise<void>((resolve) => {
          if (io.signal.aborted) resolve();
          io.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        logger.info('worker: stopping: no new steps; running ones finish or go back to the queue', { running: worker.running, graceMs: options.shutdownGrace });
        await worker.shutdown(options.shutdownGrace, io.urgentSignal);
        logger.info('worker: stopped');
      } finally {
        server?.server.close();
        await llm.close();
      }
      ctx.setExitCode(0);
    });
}
