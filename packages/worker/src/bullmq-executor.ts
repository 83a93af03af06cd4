import { createHash, randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { UcopError, abortReason } from '@ucop/core';
import type { ArtifactRecord, ArtifactWriter, StepAttemptResult, StepExecutionContext, StepExecutor, StepTask } from '@ucop/core';
import { Fences } from './fence-scripts.ts';
import { cancelChannel, queueNames, resultsChannel } from './queue-names.ts';
import type { QueueNames } from './queue-names.ts';
import { connectAndCheck, createRedis } from './redis-connection.ts';
import { PROTOCOL_VERSION } from './step-job.ts';
import type { StepJobData, WireArtifact, WireResult } from './step-job.ts';
import { errorFromWire } from './wire-error.ts';

export interface BullmqExecutorOptions {
  redisUrl: string;
  names?: QueueNames;
  /** The run directory's writer: artifacts sent back by workers are written here, by the coordinator only. */
  artifacts?: ArtifactWriter;
  /**
   * How often each pending job is checked directly (a result whose announcement was missed during a Redis
   * restart, a job failed or lost). @default 5000
   */
  sweepIntervalMs?: number;
}

type Settle = (outcome: { kind: 'result'; payload: string } | { kind: 'lost'; reason: string } | { kind: 'refused'; error: unknown }) => void;

interface PendingJob {
  settle: Settle;
  /** When the job was enqueued or last checked by the sweep. */
  checkedAt: number;
}

/**
 * The coordinator's side of distributed execution: each engine attempt becomes one BullMQ job; the attempt
 * settles when the job's fenced result is taken (or the job failed: WORKER_LOST). Aborting the attempt
 * (timeout, fail-fast, cancel) closes the job's fence, so no later answer can be committed, and tells the
 * worker running it to abort. Artifacts come back as bytes and are written here, under the run directory.
 */
export class BullmqExecutor implements StepExecutor {
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  readonly #fences: Fences;
  readonly #names: QueueNames;
  readonly #artifacts: ArtifactWriter | undefined;
  readonly #pending = new Map<string, PendingJob>();
  readonly #sweep: NodeJS.Timeout;
  readonly #sweepIntervalMs: number;
  #sweeping = false;

  private constructor(redis: Redis, subscriber: Redis, queue: Queue, events: QueueEvents, options: BullmqExecutorOptions, names: QueueNames) {
    this.#redis = redis;
    this.#subscriber = subscriber;
    this.#queue = queue;
    this.#events = events;
    this.#names = names;
    this.#fences = new Fences(redis, names);
    this.#artifacts = options.artifacts;
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 5000;
    // A result is announced by the worker's commit (pub/sub) and, once the job is finished, by BullMQ's
    // event stream too (which also survives a Redis restart); whichever comes first takes it.
    subscriber.on('message', (_channel: string, jobId: string) => void this.#collect(jobId));
    events.on('completed', ({ jobId }) => void this.#collect(jobId));
    events.on('failed', ({ jobId, failedReason }) => void this.#collect(jobId, failedReason));
    this.#sweep = setInterval(() => void this.#sweepPending(), Math.max(100, this.#sweepIntervalMs / 5));
    this.#sweep.unref();
  }

  /** Connects (refusing an unreachable or evicting Redis) and waits until the event stream is read. */
  static async open(options: BullmqExecutorOptions): Promise<BullmqExecutor> {
    const names = options.names ?? queueNames();
    const redis = createRedis(options.redisUrl);
    await connectAndCheck(redis, options.redisUrl);
    const queue = new Queue(names.queue, { prefix: names.prefix, connection: createRedis(options.redisUrl) });
    // Its own connection: the event stream is read with blocking XREADs.
    const events = new QueueEvents(names.queue, { prefix: names.prefix, connection: createRedis(options.redisUrl), autorun: true });
    const subscriber = createRedis(options.redisUrl);
    await subscriber.connect();
    await subscriber.subscribe(resultsChannel(names));
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new BullmqExecutor(redis, subscriber, queue, events, options, names);
  }

  get pendingJobs(): number {
    return this.#pending.size;
  }

  /**
   * Whether the command connection to Redis is up at this moment: false from the moment the connection drops
   * until it is back (commands sent meanwhile wait for it). Cheap: no round trip.
   */
  get connected(): boolean {
    return this.#redis.status === 'ready';
  }

  /** Calls `listener(true)` each time the connection to Redis is (re)established, `listener(false)` each time it drops. */
  onConnectionChange(listener: (connected: boolean) => void): () => void {
    const up = (): void => listener(true);
    const down = (): void => listener(false);
    this.#redis.on('ready', up);
    this.#redis.on('close', down);
    return () => {
      this.#redis.off('ready', up);
      this.#redis.off('close', down);
    };
  }

  /** A PING answered within `timeoutMs` (or before `signal` aborts); false otherwise, at once while the connection is down. */
  async ping(signal: AbortSignal, timeoutMs = 1000): Promise<boolean> {
    if (!this.connected || signal.aborted) return false;
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => resolve(false);
      deadline.addEventListener('abort', onAbort, { once: true });
      this.#redis.ping().then(
        (reply) => resolve(reply === 'PONG'),
        () => resolve(false),
      ).finally(() => deadline.removeEventListener('abort', onAbort));
    });
  }

  /**
   * The same executor for one run whose artifacts go to `artifacts` (its run directory): every run of a
   * daemon shares this executor's four Redis connections, whatever the number of runs.
   */
  forRun(artifacts: ArtifactWriter): StepExecutor {
    return { execute: (task, context) => this.#execute(task, context, artifacts) };
  }

  async execute(task: StepTask, context: StepExecutionContext): Promise<StepAttemptResult> {
    return this.#execute(task, context, this.#artifacts);
  }

  async #execute(task: StepTask, context: StepExecutionContext, artifactWriter: ArtifactWriter | undefined): Promise<StepAttemptResult> {
    const { signal } = context;
    if (signal.aborted) return { ok: false, error: abortReason(signal) };
    const jobId = randomUUID();
    const data: StepJobData = { v: PROTOCOL_VERSION, task, state: { ...context.readState() }, ...(artifactWriter ? { artifactRoot: artifactWriter.root } : {}) };
    let settle: Settle = () => undefined;
    const outcome = new Promise<Parameters<Settle>[0]>((resolve) => (settle = resolve));
    this.#pending.set(jobId, { settle, checkedAt: Date.now() });
    const onAbort = (): void => settle({ kind: 'lost', reason: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    const added = this.#queue.add('step', data, { jobId, attempts: 1, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } });
    added.catch((error: unknown) => settle({ kind: 'refused', error }));
    try {
      const settled = await outcome;
      if (signal.aborted) {
        // Returns at once, even while Redis is unreachable: only results of pending jobs are ever taken, so
        // nothing of this attempt can be committed; the fence and the worker are told as soon as Redis answers.
        void added.then(() => this.#abandon(jobId)).catch(() => undefined);
        return { ok: false, error: abortReason(signal) };
      }
      if (settled.kind === 'refused') return { ok: false, error: settled.error };
      if (settled.kind === 'lost') {
        return { ok: false, error: new UcopError('WORKER_LOST', `step "${task.stepId}" attempt ${task.attempt}: ${settled.reason}; every worker that took it died or stalled (see the workers' logs)`, { fields: { stepId: task.stepId, itemIndex: task.itemIndex, attempt: task.attempt, jobId } }) };
      }
      return await this.#accept(JSON.parse(settled.payload) as WireResult, signal, artifactWriter);
    } catch (error) {
      // A result this side refuses (an artifact path outside the run directory, damaged bytes) fails the attempt.
      return { ok: false, error };
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.#pending.delete(jobId);
    }
  }

  /** The attempt no longer wants an answer: close the fence first (nothing commits after it), then tell the worker. */
  async #abandon(jobId: string): Promise<void> {
    await this.#fences.close(jobId);
    await this.#redis.publish(cancelChannel(this.#names), jobId);
    await this.#queue.remove(jobId).catch(() => 0); // locked by a worker: it aborts on the message above
  }

  async #accept(result: WireResult, signal: AbortSignal, writer: ArtifactWriter | undefined): Promise<StepAttemptResult> {
    if (!result.ok) return { ok: false, error: errorFromWire(result.error) };
    const artifacts = result.artifacts === undefined ? undefined : await this.#writeArtifacts(result.artifacts, signal, writer);
    if (signal.aborted) return { ok: false, error: abortReason(signal) };
    return { ok: true, output: result.output, writes: result.writes, ...(result.usage ? { usage: result.usage } : {}), ...(artifacts ? { artifacts } : {}) };
  }

  async #writeArtifacts(files: readonly WireArtifact[], signal: AbortSignal, writer: ArtifactWriter | undefined): Promise<ArtifactRecord[]> {
    if (!writer) throw new UcopError('ARTIFACT_PATH_ESCAPE', 'a worker returned artifacts, but this run has no output directory to write them to', {});
    const records: ArtifactRecord[] = [];
    for (const file of files) {
      const content = Buffer.from(file.content, 'base64');
      const sha256 = createHash('sha256').update(content).digest('hex');
      if (sha256 !== file.sha256) throw new UcopError('AGENT_OUTPUT_INVALID', `artifact ${file.path} arrived damaged (hash mismatch)`, { fields: { path: file.path } });
      // The run's writer resolves the path inside the run directory (ARTIFACT_PATH_ESCAPE otherwise).
      await writer.write(file.path, content, signal);
      records.push({ path: file.path, sha256 });
    }
    return records;
  }

  async #collect(jobId: string, failedReason?: string): Promise<void> {
    const pending = this.#pending.get(jobId);
    if (!pending) return;
    const payload = await this.#fences.take(jobId);
    if (payload !== null) pending.settle({ kind: 'result', payload });
    else if (failedReason !== undefined) {
      await this.#fences.close(jobId);
      pending.settle({ kind: 'lost', reason: failedReason });
    }
  }

  /**
   * Jobs whose end was not heard of (a Redis restart between a commit and its announcement, a job failed or
   * lost): each pending job is checked once per interval, one state query each.
   */
  async #sweepPending(): Promise<void> {
    if (this.#sweeping || this.#pending.size === 0) return;
    this.#sweeping = true;
    try {
      const now = Date.now();
      for (const [jobId, pending] of this.#pending) {
        if (now - pending.checkedAt < this.#sweepIntervalMs) continue;
        pending.checkedAt = now;
        const state = await this.#queue.getJobState(jobId);
        if (state === 'completed') await this.#collect(jobId);
        else if (state === 'failed') await this.#collect(jobId, (await this.#queue.getJob(jobId))?.failedReason ?? 'the job failed');
        // Removed on completion (its result is then stored), or gone with a Redis that kept nothing.
        else if (state === 'unknown') await this.#collect(jobId, 'the job vanished from Redis (restarted without persistence?)');
      }
    } catch {
      // Redis unreachable right now: the next sweep tries again.
    } finally {
      this.#sweeping = false;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    await Promise.allSettled([this.#events.close(), this.#queue.close()]);
    // BullMQ leaves connections it was given open: ours are closed here, so the process can exit.
    for (const connection of [this.#events.opts.connection, this.#queue.opts.connection]) (connection as Redis).disconnect();
    this.#subscriber.disconnect();
    this.#redis.disconnect();
  }
}
