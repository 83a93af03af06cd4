import { BinaryHeap, type HeapEntry } from './binary-heap.ts';
import type { Clock } from './clock.ts';

/** A pending deadline; pass it to {@link DeadlineQueue.cancel} when it is no longer needed. */
export interface DeadlineEntry extends HeapEntry {
  readonly at: number;
  readonly fire: () => void;
}

/**
 * Every deadline of a run (attempt timeouts, cancel graces, the run deadline, the no-progress watchdog)
 * behind ONE pending `clock.sleep`: a step that finishes before its timeout costs a heap insert and a
 * removal, not a timer. The sleep is re-armed only when a new deadline is earlier than the armed one.
 */
export class DeadlineQueue {
  readonly #clock: Clock;
  readonly #heap = new BinaryHeap<DeadlineEntry>((a, b) => a.at - b.at);
  #armedAt = Number.POSITIVE_INFINITY;
  #armed: AbortController | undefined;
  #firing = false;
  #disposed = false;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Calls `fire` once the clock reaches `at` (unless cancelled first). */
  add(at: number, fire: () => void): DeadlineEntry {
    const entry: DeadlineEntry = { heapIndex: -1, at, fire };
    this.#heap.push(entry);
    if (!this.#firing && at < this.#armedAt) this.#arm();
    return entry;
  }

  cancel(entry: DeadlineEntry | undefined): void {
    if (entry) this.#heap.remove(entry);
  }

  /** Drops every deadline and the pending sleep, so nothing keeps the process alive. */
  dispose(): void {
    this.#disposed = true;
    this.#armed?.abort();
    this.#armed = undefined;
    while (this.#heap.pop()) {
      // Emptying the heap so that entries (and what their callbacks hold) can be collected.
    }
  }

  #arm(): void {
    this.#armed?.abort();
    this.#armed = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
    const next = this.#heap.peek();
    if (!next || this.#disposed) return;
    const controller = new AbortController();
    this.#armed = controller;
    this.#armedAt = next.at;
    this.#clock.sleep(Math.max(0, next.at - this.#clock.now()), controller.signal).then(
      () => {
        if (this.#armed === controller) this.#onWake();
      },
      () => {
        // Re-armed or disposed: the abort is ours.
      },
    );
  }

  #onWake(): void {
    this.#armed = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
    this.#firing = true;
    try {
      const now = this.#clock.now();
      for (let top = this.#heap.peek(); top && top.at <= now; top = this.#heap.peek()) {
        this.#heap.pop();
        top.fire();
      }
    } finally {
      this.#firing = false;
    }
    this.#arm();
  }
}
