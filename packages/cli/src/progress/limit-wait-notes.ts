import type { LimitWait } from '@ucop/agents';
import { formatDuration } from '../duration-format.ts';

/**
 * Turns limit waits into progress notes: "waiting 12s for rpm of provider:openai (shared limit)". The
 * limiter reports every poll; a note is passed on when the limit changes or once per `everyMs` per limit.
 */
export class LimitWaitNotes {
  #listener: ((note: string, untilMs: number) => void) | undefined;
  readonly #last = new Map<string, number>();
  readonly #now: () => number;
  readonly #everyMs: number;

  constructor(options: { now?: () => number; everyMs?: number } = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.#everyMs = options.everyMs ?? 1000;
  }

  /** Where notes go (the progress reporter); set once the display exists. */
  listen(listener: ((note: string, untilMs: number) => void) | undefined): void {
    this.#listener = listener;
  }

  readonly notify = (wait: LimitWait): void => {
    if (!this.#listener) return;
    const id = `${wait.key} ${wait.limit}`;
    const now = this.#now();
    const last = this.#last.get(id);
    if (last !== undefined && now - last < this.#everyMs) return;
    this.#last.set(id, now);
    this.#listener(`waiting ${formatDuration(wait.waitMs)} for ${wait.limit} of ${wait.key} (shared limit)`, now + wait.waitMs);
  };
}
