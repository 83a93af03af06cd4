import type { RunEvent } from '@ucop/core';
import type { RunState } from '../queue/run-state.ts';

/** What a client of the event stream receives: the engine's typed run events, then the run's queue state. */
export type DaemonEvent = { kind: 'run'; event: RunEvent } | { kind: 'state'; state: RunState };

export type DaemonEventListener = (event: DaemonEvent) => void;

interface Channel {
  history: DaemonEvent[];
  listeners: Set<DaemonEventListener>;
  /** Dropped from the front when the history is full (a late subscriber then misses those). */
  dropped: number;
}

export interface RunEventHubOptions {
  /** Events kept per run for subscribers that come late. @default 5000 */
  historyPerRun?: number;
  /** Runs whose history is kept after they left the pool (most recent). @default 64 */
  keptRuns?: number;
}

/**
 * Fans out each run's events to its live subscribers (SSE streams), and keeps a bounded history so that a
 * client that connects during or shortly after a run sees it from the start. Memory stays bounded: a capped
 * history per run, and the histories of a capped number of recent runs.
 */
export class RunEventHub {
  readonly #channels = new Map<string, Channel>();
  readonly #historyPerRun: number;
  readonly #keptRuns: number;
  /** Runs that left the pool, oldest first (their channels are removed past `keptRuns`). */
  readonly #ended: string[] = [];

  constructor(options: RunEventHubOptions = {}) {
    this.#historyPerRun = options.historyPerRun ?? 5000;
    this.#keptRuns = options.keptRuns ?? 64;
  }

  publish(runId: string, event: DaemonEvent): void {
    const channel = this.#channel(runId);
    channel.history.push(event);
    if (channel.history.length > this.#historyPerRun) {
      channel.history.shift();
      channel.dropped += 1;
    }
    for (const listener of channel.listeners) listener(event);
  }

  /** The run left the pool (finished or put back in the queue): its history is kept among the recent ones. */
  ended(runId: string): void {
    const at = this.#ended.indexOf(runId);
    if (at >= 0) this.#ended.splice(at, 1);
    this.#ended.push(runId);
    while (this.#ended.length > this.#keptRuns) {
      const old = this.#ended.shift()!;
      const channel = this.#channels.get(old);
      if (channel && channel.listeners.size === 0) this.#channels.delete(old);
    }
  }

  /** Replays the kept history to `listener`, then tells it every new event; returns the unsubscribe. */
  subscribe(runId: string, listener: DaemonEventListener): () => void {
    const channel = this.#channel(runId);
    for (const event of channel.history) listener(event);
    channel.listeners.add(listener);
    return () => {
      channel.listeners.delete(listener);
    };
  }

  /** Forgets a deleted run. */
  forget(runId: string): void {
    this.#channels.delete(runId);
    const at = this.#ended.indexOf(runId);
    if (at >= 0) this.#ended.splice(at, 1);
  }

  /** Whether the hub still has the run's history. */
  has(runId: string): boolean {
    return this.#channels.has(runId);
  }

  /** How many runs have a channel (for tests of boundedness). */
  get size(): number {
    return this.#channels.size;
  }

  #channel(runId: string): Channel {
    let channel = this.#channels.get(runId);
    if (!channel) {
      channel = { history: [], listeners: new Set(), dropped: 0 };
      this.#channels.set(runId, channel);
    }
    return channel;
  }
}
