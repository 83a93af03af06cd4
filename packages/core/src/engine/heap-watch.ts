import { getHeapStatistics } from 'node:v8';

/**
 * Peak heap growth over a stretch of work, for benchmarks: the heap is sampled every few ms while the
 * event loop turns (asynchronous work), and whenever `sample()` is called (between synchronous phases,
 * which a timer cannot interrupt). The peak is relative to the heap when the watch started.
 */
export class HeapWatch {
  readonly #base: number;
  #peak: number;
  readonly #timer: ReturnType<typeof setInterval>;

  private constructor(intervalMs: number) {
    this.#base = getHeapStatistics().used_heap_size;
    this.#peak = this.#base;
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Starts watching now. @param intervalMs sampling period while the event loop turns @default 2 */
  static start(intervalMs = 2): HeapWatch {
    return new HeapWatch(intervalMs);
  }

  /** Takes one sample now. */
  sample(): void {
    const used = getHeapStatistics().used_heap_size;
    if (used > this.#peak) this.#peak = used;
  }

  /** Takes a last sample, stops the timer and returns the peak growth in bytes. */
  stop(): number {
    this.sample();
    clearInterval(this.#timer);
    return Math.max(0, this.#peak - this.#base);
  }
}
