import { UcopError } from '../errors/ucop-error.ts';
import type { StateView, StateWrite } from './state-view.ts';
import type { StateReader, StateRejectReason } from './state-store.ts';

/** An attempt's view of the state: reads go to the store, writes are staged until the engine commits them. */
export interface StagedStateView extends StateView {
  /** The writes staged so far, in order; empties the stage. */
  drain(): StateWrite[];
  /** Refuses every later write (called when the attempt finishes, times out or is cancelled). */
  seal(): void;
}

/**
 * Builds the state view handed to one attempt of `stepId`. Reads return committed values (the view does
 * not show the attempt's own staged writes). Writes are checked against the step's `writes:` list and
 * cloned at once, so that an agent changing an object after writing it changes nothing.
 *
 * @param reader usually the run's StateStore; any consistent reader works (e.g. a remote snapshot).
 * @param signal when given, the first write after it aborted seals the view (checked at write time: cheaper
 *   than an abort listener per attempt)
 */
export function createStagedStateView(reader: StateReader, allowedKeys: readonly string[], stepId: string, signal?: AbortSignal): StagedStateView {
  return new StagedView(reader, allowedKeys, stepId, signal);
}

// A class rather than an object of closures (most attempts never write); the three methods an agent sees are
// arrow fields, so that an agent may take them apart (`const { write } = ctx.state`) as it could before.
class StagedView implements StagedStateView {
  readonly #reader: StateReader;
  readonly #allowed: readonly string[];
  readonly #stepId: string;
  readonly #signal: AbortSignal | undefined;
  #staged: StateWrite[] | undefined;
  #sealed = false;

  constructor(reader: StateReader, allowed: readonly string[], stepId: string, signal: AbortSignal | undefined) {
    this.#reader = reader;
    this.#allowed = allowed;
    this.#stepId = stepId;
    this.#signal = signal;
  }

  readonly get = (key: string): unknown => this.#reader.get(key);

  readonly snapshot = (): Readonly<Record<string, unknown>> => this.#reader.snapshot();

  readonly write = (key: string, value: unknown): void => {
    const stepId = this.#stepId;
    if (this.#signal?.aborted) this.#sealed = true;
    if (this.#sealed) {
      throw new UcopError('STATE_WRITE_REJECTED', `step "${stepId}" wrote state key "${key}" after its attempt had finished, timed out or been cancelled; the write was discarded`, {
        fields: { key, stepId, reason: 'sealed' satisfies StateRejectReason },
      });
    }
    // A step's `writes:` list is a few keys: a scan, not a set built per attempt.
    if (!this.#allowed.includes(key)) {
      const allowed = [...new Set(this.#allowed)];
      const list = allowed.length === 0 ? 'it has no `writes:`' : `its \`writes:\` lists ${allowed.join(', ')}`;
      throw new UcopError('STATE_WRITE_REJECTED', `step "${stepId}" wrote state key "${key}" but ${list}; add "${key}" to the step's \`writes:\``, {
        fields: { key, stepId, reason: 'not-allowed' satisfies StateRejectReason },
      });
    }
    let copy: unknown;
    try {
      copy = structuredClone(value);
    } catch (error) {
      throw new UcopError('STATE_WRITE_REJECTED', `step "${stepId}" wrote a value to state key "${key}" that is not plain data; write JSON-like data`, {
        fields: { key, stepId, reason: 'invalid-value' satisfies StateRejectReason },
        cause: error,
      });
    }
    (this.#staged ??= []).push({ key, value: copy });
  };

  drain(): StateWrite[] {
    const out = this.#staged ?? [];
    this.#staged = undefined;
    return out;
  }

  seal(): void {
    this.#sealed = true;
  }
}
