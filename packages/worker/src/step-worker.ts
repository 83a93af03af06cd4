import { hostname } from 'node:os';
import { DelayedError, UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { LocalExecutor, UcopError, silentLogger } from '@ucop/core';
import type { AgentLookup, LlmClient, Logger } from '@ucop/core';
import { Fences } from './fence-scripts.ts';
import { cancelChannel, queueNames } from './queue-names.ts';
import type { QueueNames } from './queue-names.ts';
import { connectAndCheck, createRedis, describeRedisUrl } from './redis-connection.ts';
import { DEFAULT_MAX_RESULT_BYTES, PROTOCOL_VERSION } from './step-job.ts';
import type { StepJobData, WireResult } from './step-job.ts';
import { encodeResult, runStepJob } from './step-runner.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

export interface StepWorkerOptions {
  redisUrl: string;
  names?: QueueNames;
  agents: AgentLookup;
  llm?: LlmClient;
  logger?: Logger;
  /** Jobs run at once in this process. @default 4 */
  concurrency?: number;
  /** How long a job's lock lasts without renewal (renewed every half). @default 10000 */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died. @default 5000 */
  stalledIntervalMs?: number;
  /** Deliveries of one job before it fails for good (a step that kills its worker). @default 2 */
  maxDeliveries?: number;
  /** @default 16 MiB */
  maxResultBytes?: number;
  metrics?: WorkerMetrics;
  /** Shown in logs and in results. @default host:pid */
  name?: string;
}

type Outcome = 'committed' | 'rejected' | 'skipped';

/**
 * A `ucop worker`: takes step jobs from the queue and runs them. Lifecycle: `start` (Redis checked, then
 * jobs taken), `shutdown(graceMs)` (stops taking jobs, lets running ones finish until the deadline, then
 * aborts them and puts them back on the queue for another worker: unfinished work is neither done nor failed).
 */
export class StepWorker {
  readonly #options: StepWorkerOptions;
  readonly #names: QueueNames;
  readonly #name: string;
  readonly #logger: Logger;
  readonly #running = new Map<string, AbortController>();
  #worker: Worker | undefined;
  #commands: Redis | undefined;
  #subscriber: Redis | undefined;
  #fences: Fences | undefined;
  #stopping = false;

  constructor(options: StepWorkerOptions) {
    this.#options = options;
    this.#names = options.names ?? queueNames();
    this.#name = options.name ?? `${hostname()}:${process.pid}`;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Taking steps: started, not draining, and Redis connected (false while Redis restarts). */
  get ready(): boolean {
    return this.#worker !== undefined && !this.#stopping && this.#worker.isRunning() && this.#commands?.status === 'ready';
  }

  get running(): number {
    return this.#running.size;
  }

  async start(): Promise<void> {
    const url = this.#options.redisUrl;
    const commands = createRedis(url);
    await connectAndCheck(commands, url);
    this.#commands = commands;
    this.#fences = new Fences(commands, this.#names);
    const subscriber = createRedis(url);
    await subscriber.connect();
    subscriber.on('message', (_channel: string, jobId: string) => this.#cancel(jobId));
    await subscriber.subscribe(cancelChannel(this.#names));
    this.#subscriber = subscriber;
    // Schema validators compiled once here, not inside the first attempt of each agent.
    new LocalExecutor({ agents: this.#options.agents, state: { snapshot: () => ({}), get: () => undefined } }).prepare(this.#options.agents.names());
    const lockDuration = this.#options.lockDurationMs ?? 10_000;
    this.#worker = new Worker(this.#names.queue, (job, token) => this.#process(job, token), {
      prefix: this.#names.prefix,
      connection: createRedis(url),
      concurrency: this.#options.concurrency ?? 4,
      lockDuration,
      lockRenewTime: Math.max(50, Math.floor(lockDuration / 2)),
      stalledInterval: this.#options.stalledIntervalMs ?? 5000,
      maxStalledCount: Math.max(0, (this.#options.maxDeliveries ?? 2) - 1),
      autorun: false,
    });
    this.#worker.on('error', (error) => this.#logger.warn('worker: queue connection problem', { error: error.message }));
    this.#worker.on('stalled', (jobId) => {
      this.#options.metrics?.stalled.inc();
      this.#logger.info('worker: job stalled (its worker died or stopped); delivering it again', { jobId });
    });
    void this.#worker.run();
    await this.#worker.waitUntilReady();
    this.#options.metrics?.setReady(() => this.ready);
    this.#logger.info(`worker ${this.#name}: ready on ${describeRedisUrl(url)} queue ${this.#names.queue}`);
  }

  #cancel(jobId: string): void {
    this.#running.get(jobId)?.abort(new UcopError('STEP_CANCELLED', 'the coordinator cancelled this attempt (timeout, fail-fast or run cancelled)', { fields: { jobId } }));
  }

  async #process(job: Job, token: string | undefined): Promise<Outcome> {
    const data = job.data as StepJobData;
    if (data.v !== PROTOCOL_VERSION) throw new UnrecoverableError(`step job protocol ${String(data.v)} is not ${PROTOCOL_VERSION}: run the same ucop version on coordinator and workers`);
    const jobId = job.id!;
    const fences = this.#fences!;
    const fence = await fences.claim(jobId);
    const metrics = this.#options.metrics;
    if (fence === 0) {
      metrics?.jobs.inc({ outcome: 'skipped' });
      return 'skipped';
    }
    const controller = new AbortController();
    this.#running.set(jobId, controller);
    metrics?.running.set(this.#running.size);
    const { timeoutMs } = data.task;
    // A safety net only: the coordinator aborts at the timeout and tells us; this covers a lost message.
    const timer = timeoutMs > 0 && Number.isFinite(timeoutMs) ? setTimeout(() => controller.abort(new UcopError('STEP_TIMEOUT', `no answer within ${timeoutMs} ms`, { fields: { timeoutMs } })), Math.min(timeoutMs + 5000, 2 ** 31 - 1)) : undefined;
    const started = performance.now();
    try {
      const result = await runStepJob(data, controller.signal, { agents: this.#options.agents, ...(this.#options.llm ? { llm: this.#options.llm } : {}), logger: this.#logger });
      if (controller.signal.aborted && this.#stopping && token !== undefined) {
        // Shutdown deadline: leave the step to another worker, neither done nor failed.
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      const wire = { ...result, worker: this.#name, token: fence } as WireResult;
      const committed = await fences.commit(jobId, fence, encodeResult(wire, this.#options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES));
      const outcome: Outcome = committed ? 'committed' : 'rejected';
      if (!committed) this.#logger.warn('worker: late result rejected (another delivery owns this step now, or it was cancelled)', { jobId, step: data.task.stepId, token: fence });
      metrics?.jobs.inc({ outcome });
      metrics?.stepSeconds.observe((performance.now() - started) / 1000);
      return outcome;
    } finally {
      if (timer) clearTimeout(timer);
      this.#running.delete(jobId);
      metrics?.running.set(this.#running.size);
    }
  }

  /**
   * Stops taking jobs; running ones finish until `graceMs`, then are aborted and handed back to the queue.
   * Resolves when the process may exit. Aborting `urgent` ends the grace at once.
   */
  async shutdown(graceMs: number, urgent?: AbortSignal): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    const worker = this.#worker;
    const abortRunning = (): void => {
      for (const controller of this.#running.values()) controller.abort(new UcopError('STEP_CANCELLED', 'the worker is shutting down', {}));
    };
    const deadline = setTimeout(abortRunning, graceMs);
    urgent?.addEventListener('abort', abortRunning, { once: true });
    try {
      if (worker) await worker.close();
    } finally {
      clearTimeout(deadline);
      urgent?.removeEventListener('abort', abortRunning);
      (worker?.opts.connection as Redis | undefined)?.disconnect();
      await this.#subscriber?.quit().catch(() => undefined);
      await this.#commands?.quit().catch(() => undefined);
    }
  }
}
