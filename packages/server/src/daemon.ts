import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UcopError, acquireRunLock, redactString } from '@ucop/core';
import type { FastifyInstance } from 'fastify';
import { allowedHosts } from './auth/request-guards.ts';
import { loadOrCreateToken } from './auth/token.ts';
import { RunEventHub } from './events/run-event-hub.ts';
import { buildDaemonApp } from './http/daemon-app.ts';
import type { DaemonContext } from './http/daemon-context.ts';
import { DaemonMetrics } from './metrics/daemon-metrics.ts';
import type { RunExecutor, WorkflowCatalog } from './pool/run-executor.ts';
import { RunPool, runDirectory } from './pool/run-pool.ts';
import { RunQueue } from './queue/run-queue.ts';
import type { RetentionPolicy } from './queue/run-queue.ts';

/** Options of {@link startDaemon} (the flags of `ucop serve`). */
export interface DaemonOptions {
  /** Absolute data directory: the queue database, the token file, `runs/<id>/`. */
  dataDir: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 7070 */
  port?: number;
  /** @default 5 */
  maxConcurrent?: number;
  executor: RunExecutor;
  catalog: WorkflowCatalog;
  env: Readonly<Record<string, string | undefined>>;
  /** How long a drain waits for running runs before cancelling them. @default 30000 */
  drainTimeoutMs?: number;
  /** @default { maxCount: 1000, maxAgeMs: 7 days } */
  retention?: RetentionPolicy;
  /** A run found `running` at start this many times goes to `dead_letter`. @default 3 */
  maxCrashes?: number;
  /** @default 1 MiB */
  bodyLimit?: number;
  /** @default 600 requests per 60 s per client */
  rateLimit?: { max: number; windowMs: number };
  /** SQLite `synchronous` of the queue (see RunQueueOptions.sync). @default 'normal' */
  queueSync?: 'normal' | 'full';
  /** More names the Host header may carry (e.g. a proxy's), with or without port. */
  allowHosts?: readonly string[];
  /** Where the daemon's log lines go (masked before). @default nowhere */
  log?: (line: string) => void;
  version?: string;
}

export interface RunningDaemon {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** Where the token is read from: the file's path, or `UCOP_TOKEN`. */
  readonly tokenSource: string;
  readonly app: FastifyInstance;
  readonly queue: RunQueue;
  readonly pool: RunPool;
  /**
   * Stops: refuses new connections, stops claiming, drains the running runs (up to the drain deadline, then
   * cancels them; they resume at the next start), closes the queue and releases the data directory.
   */
  stop(urgent?: AbortSignal): Promise<{ putBack: string[] }>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Starts the daemon: locks the data directory (one daemon per directory), reads or creates the token, opens
 * the queue and puts the runs a previous daemon left `running` back in it (or in `dead_letter` after repeated
 * crashes), starts the pool and listens.
 */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const log = (line: string): void => options.log?.(redactString(line));
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const lock = await acquireRunLock(options.dataDir);
  const stopping = new AbortController();
  const cleanups: (() => unknown)[] = [() => lock.release()];
  try {
    const token = await loadOrCreateToken(options.dataDir, options.env);
    const runsDir = join(options.dataDir, 'runs');
    await mkdir(runsDir, { recursive: true, mode: 0o700 });
    const queue = new RunQueue(join(options.dataDir, 'queue.db'), { sync: options.queueSync ?? 'normal' });
    cleanups.unshift(() => queue.close());
    const recovered = queue.recover(options.maxCrashes ?? 3);
    if (recovered.requeued.length > 0) log(`${recovered.requeued.length} run(s) were running when the daemon stopped: queued again, to resume from their records`);
    if (recovered.deadLettered.length > 0) log(`${recovered.deadLettered.length} run(s) moved to dead_letter after repeated crashes: ${recovered.deadLettered.join(', ')}`);
    const events = new RunEventHub();
    const retention = options.retention ?? { maxCount: 1000, maxAgeMs: 7 * DAY_MS };
    const removeRunFiles = (id: string) => rm(runDirectory(runsDir, id), { recursive: true, force: true });
    const applyRetention = (): void => {
      for (const id of queue.applyRetention(retention)) {
        events.forget(id);
        void removeRunFiles(id).catch((error: unknown) => log(`could not remove the directory of run ${id}: ${(error as Error).message}`));
      }
    };
    applyRetention();
    // The metrics read the pool at scrape time; the pool reports to the metrics.
    const holder: { pool?: RunPool } = {};
    const metrics = new DaemonMetrics({
      queueDepth: () => queue.countsByState(),
      activeRuns: () => holder.pool?.activeCount ?? 0,
      providers: () => options.executor.providerMetrics?.(),
    });
    const pool = new RunPool({
      queue,
      executor: options.executor,
      events,
      metrics,
      runsDir,
      maxConcurrent: options.maxConcurrent ?? 5,
      log,
      onRunLeft: applyRetention,
    });
    holder.pool = pool;
    const ctx: DaemonContext = { queue, pool, events, catalog: options.catalog, executor: options.executor, metrics, runsDir, signal: stopping.signal, removeRunFiles };
    const host = options.host ?? '127.0.0.1';
    let port = options.port ?? 7070;
    // Filled once the port is known (port 0 picks one); nothing is answered before.
    let hosts: ReadonlySet<string> = new Set();
    const app = await buildDaemonApp(ctx, {
      token: token.token,
      allowedHosts: () => hosts,
      log,
      version: options.version ?? '0.0.0',
      ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
      ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
    });
    cleanups.unshift(() => app.close());
    try {
      await app.listen({ host, port });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
        throw new UcopError('USAGE', `cannot listen on ${host}:${port} (${code}): ${code === 'EADDRINUSE' ? 'another process uses the port; stop it or give --port' : 'give another --host or --port'}`, { cause: error });
      }
      throw error;
    }
    const address = app.server.address();
    if (address !== null && typeof address === 'object') port = address.port;
    hosts = allowedHosts(host, port, options.allowHosts ?? []);
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const tokenSource = token.source === 'env' ? 'UCOP_TOKEN' : token.path!;
    log(`listening on ${url}; token ${token.created ? 'created in' : 'read from'} ${tokenSource}; ${pool.maxConcurrent} run(s) at once; data in ${options.dataDir}`);
    pool.fill();
    const agePass = setInterval(applyRetention, 60_000);
    agePass.unref();
    let stopped: Promise<{ putBack: string[] }> | undefined;
    return {
      url,
      port,
      tokenSource,
      app,
      queue,
      pool,
      stop(urgent?: AbortSignal) {
        stopped ??= (async () => {
          clearInterval(agePass);
          log('stopping: no new runs are started');
          // Stop accepting connections first; event streams end with `stopping`.
          const closing = app.close();
          stopping.abort();
          const putBack = await pool.drain(options.drainTimeoutMs ?? 30_000, urgent);
          await closing;
          queue.close();
          await lock.release();
          log(putBack.length > 0 ? `stopped; ${putBack.length} run(s) will resume at the next start` : 'stopped');
          return { putBack };
        })();
        return stopped;
      },
    };
  } catch (error) {
    stopping.abort();
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch {
        // the first error is the one to report
      }
    }
    throw error;
  }
}
