import { abortReason, systemClock } from '@ucop/core';
import type { Clock, LlmRequest, LlmResponse } from '@ucop/core';
import { batchKey, combineRequests, splitResponse } from './batch-request.ts';

/** Options of {@link RequestBatcher}. */
export interface RequestBatcherOptions {
  /** Requests per call. */
  size: number;
  /** Longest a request waits for companions before its (smaller) batch goes. */
  maxWaitMs: number;
  /** Makes the one call of a batch (through the stage's workers, limits and providers). */
  send(request: LlmRequest, signal: AbortSignal, size: number): Promise<LlmResponse>;
  /** @default systemClock */
  clock?: Clock;
}

interface Pending {
  request: LlmRequest;
  signal: AbortSignal;
  resolve(response: LlmResponse): void;
  reject(error: unknown): void;
  onAbort(): void;
}

interface Group {
  pending: Pending[];
  timer: AbortController | undefined;
}

/**
 * Coalesces compatible requests of a stage (a fan-out's items) into one model call of up to `size`
 * requests, sent when it is full or `maxWaitMs` after its first request, and splits the answer back per
 * request (batch-request.ts). A request whose signal aborts before its batch is sent leaves it; one
 * aborting after gets its abort, and the call goes on for the others (it is aborted only when all left).
 * A batch of one is sent as the plain request.
 */
export class RequestBatcher {
  readonly #options: RequestBatcherOptions;
  readonly #clock: Clock;
  readonly #groups = new Map<string, Group>();

  constructor(options: RequestBatcherOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  submit(request: LlmRequest, signal: AbortSignal): Promise<LlmResponse> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    const key = batchKey(request);
    let group = this.#groups.get(key);
    if (!group) {
      group = { pending: [], timer: undefined };
      this.#groups.set(key, group);
    }
    const target = group;
    return new Promise<LlmResponse>((resolve, reject) => {
      const pending: Pending = {
        request,
        signal,
        resolve,
        reject,
        onAbort: () => {
          const index = target.pending.indexOf(pending);
          if (index >= 0) target.pending.splice(index, 1);
          reject(abortReason(signal));
        },
      };
      signal.addEventListener('abort', pending.onAbort, { once: true });
      target.pending.push(pending);
      if (target.pending.length >= this.#options.size) this.#flush(key, target);
      else if (!target.timer) this.#arm(key, target);
    });
  }

  #arm(key: string, group: Group): void {
    const timer = new AbortController();
    group.timer = timer;
    this.#clock.sleep(this.#options.maxWaitMs, timer.signal).then(
      () => {
        if (group.timer === timer) this.#flush(key, group);
      },
      () => {
        // Disarmed: the batch filled up and went first.
      },
    );
  }

  #flush(key: string, group: Group): void {
    group.timer?.abort();
    group.timer = undefined;
    const batch = group.pending.splice(0, this.#options.size);
    if (group.pending.length > 0) this.#arm(key, group);
    else this.#groups.delete(key);
    if (batch.length === 0) return;
    for (const p of batch) p.signal.removeEventListener('abort', p.onAbort);
    void this.#send(batch);
  }

  async #send(batch: Pending[]): Promise<void> {
    const controller = new AbortController();
    let open = batch.length;
    const listeners = batch.map((p) => {
      const onAbort = (): void => {
        p.reject(abortReason(p.signal));
        if (--open === 0) controller.abort(abortReason(p.signal));
      };
      p.signal.addEventListener('abort', onAbort, { once: true });
      return () => p.signal.removeEventListener('abort', onAbort);
    });
    try {
      const requests = batch.map((p) => p.request);
      if (batch.length === 1) {
        batch[0]!.resolve(await this.#options.send(requests[0]!, controller.signal, 1));
        return;
      }
      const response = await this.#options.send(combineRequests(requests), controller.signal, batch.length);
      const answers = splitResponse(requests, response);
      batch.forEach((p, i) => p.resolve(answers[i]!));
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      for (const remove of listeners) remove();
    }
  }
}
