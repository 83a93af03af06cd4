import { abortReason } from '@ucop/core';

/** A turn taken from a {@link LocalTurn}; call `done` exactly once. */
export interface Turn {
  done(): void;
}

/**
 * A FIFO of turns in one process: one holder at a time, the next in arrival order after it; a waiter whose
 * signal aborts leaves the queue. Used so that only one request per key polls the shared store at a time.
 */
export class LocalTurn {
  #held = false;
  readonly #queue: { grant: () => void; signal: AbortSignal; onAbort: () => void }[] = [];

  take(signal: AbortSignal): Promise<Turn> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve(this.#turn());
    }
    return new Promise<Turn>((resolve, reject) => {
      const entry = {
        signal,
        grant: () => {
          signal.removeEventListener('abort', entry.onAbort);
          resolve(this.#turn());
        },
        onAbort: () => {
          const index = this.#queue.indexOf(entry);
          if (index >= 0) this.#queue.splice(index, 1);
          reject(abortReason(signal));
        },
      };
      signal.addEventListener('abort', entry.onAbort, { once: true });
      this.#queue.push(entry);
    });
  }

  #turn(): Turn {
    let open = true;
    return {
      done: () => {
        if (!open) return;
        open = false;
        const next = this.#queue.shift();
        if (next) next.grant();
        else this.#held = false;
      },
    };
  }
}
