import { UcopError, createArtifactWriter } from '@ucop/core';
import type { StepExecutor } from '@ucop/core';
import { BullmqExecutor, describeRedisUrl, queueNames } from '@ucop/worker';
import type { RunSteps, RunStepsTarget } from './run-steps.ts';

/** How long a submission waits for Redis to answer a PING before it is refused. */
const ADMIT_TIMEOUT_MS = 1000;

/**
 * The daemon's runs on `ucop worker` processes (`ucop serve --executor bullmq`): one BullMQ executor, opened
 * at start (an unreachable or evicting Redis refuses the start), shared by every run, so the daemon holds four
 * Redis connections whatever the number of runs; each run gets a view of it that writes the artifacts its
 * workers send back under that run's own directory.
 *
 * While Redis is down: submissions are refused (REDIS_UNAVAILABLE, 503) and the pool starts nothing. Runs
 * already running wait: their queued commands go out when Redis is back and their steps carry on (the
 * executor collects results committed meanwhile). A step attempt that fails while Redis is away (its timeout
 * ran out during the outage) interrupts its run: the run goes back to the daemon's queue and, once Redis is
 * back, resumes from its record (finished steps are not run again) instead of ending `failed`.
 */
export class BullmqRunSteps implements RunSteps {
  readonly #executor: BullmqExecutor;
  readonly #where: string;
  readonly #listeners: (() => void)[] = [];
  /** Counts the drops of the connection: an attempt that saw one may have failed because of it. */
  #drops = 0;
  #down = false;

  private constructor(executor: BullmqExecutor, where: string) {
    this.#executor = executor;
    this.#where = where;
    executor.onConnectionChange((connected) => {
      if (!connected && !this.#down) {
        this.#down = true;
        this.#drops += 1;
      } else if (connected && this.#down) {
        this.#down = false;
        for (const listener of this.#listeners) listener();
      }
    });
  }

  /** Connects and checks Redis (REDIS_UNAVAILABLE, REDIS_CONFIG_REFUSED), as `ucop worker` does at start. */
  /** The Redis URL without its password. */
  get where(): string {
    return this.#where;
  }

  static async open(redisUrl: string, queue: string): Promise<BullmqRunSteps> {
    const executor = await BullmqExecutor.open({ redisUrl, names: queueNames(queue) });
    return new BullmqRunSteps(executor, describeRedisUrl(redisUrl));
  }

  forRun(run: RunStepsTarget, interrupt: (reason: UcopError) => void): StepExecutor {
    const steps = this.#executor.forRun(createArtifactWriter(run.dir));
    return {
      execute: async (task, context) => {
        const drops = this.#drops;
        const result = await steps.execute(task, context);
        if (!result.ok && (this.#down || this.#drops !== drops)) {
          interrupt(
            new UcopError('REDIS_UNAVAILABLE', `Redis at ${this.#where} went away while step "${task.stepId}" was running; run ${run.id} goes back to the queue and resumes when Redis is back`, {
              retryable: true,
              fields: { url: this.#where, runId: run.id, stepId: task.stepId },
            }),
          );
        }
        return result;
      },
    };
  }

  async ready(signal: AbortSignal): Promise<Record<string, boolean>> {
    return { redis: await this.#executor.ping(signal, ADMIT_TIMEOUT_MS) };
  }

  async admit(signal: AbortSignal): Promise<void> {
    if (await this.#executor.ping(signal, ADMIT_TIMEOUT_MS)) return;
    throw new UcopError('REDIS_UNAVAILABLE', `Redis at ${this.#where} does not answer: the daemon takes no run until it is back (nothing was queued; try again later)`, {
      retryable: true,
      fields: { url: this.#where },
    });
  }

  available(): boolean {
    return !this.#down;
  }

  onAvailable(listener: () => void): void {
    this.#listeners.push(listener);
  }

  close(): Promise<void> {
    return this.#executor.close();
  }
}
