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
 */
export function createStagedStateView(reader: StateReader, allowedKeys: readonly string[], stepId: string): StagedStateView {
  const allowed = new Set(allowedKeys);
  let staged: StateWrite[] = [];
  let sealed = false;
  return {
    get: (key) => reader.get(key),
    snapshot: () => reader.snapshot(),
    write(key, value) {
      if (sealed) {
        throw new UcopError('STATE_WRITE_REJECTED', `step "${stepId}" wrote state key "${key}" after its attempt had finished, timed out or been cancelled; the write was discarded`, {
          fields: { key, stepId, reason: 'sealed' satisfies StateRejectReason },
        });
      }
      if (!allowed.has(key)) {
        const list = allowed.size === 0 ? 'it has no `writes:`' : `its \`writes:\` lists ${[...allowed].join(', ')}`;
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
      staged.push({ key, value: copy });
    },
    drain() {
      const out = staged;
      staged = [];
      return out;
    },
    seal() {
      sealed = true;
    },
  };
}
