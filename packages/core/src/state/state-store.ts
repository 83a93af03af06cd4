import { Mutex } from 'async-mutex';
import type { StateKeySpec } from '../dsl/workflow-document.ts';
import { UcopError } from '../errors/ucop-error.ts';
import type { StateWrite } from './state-view.ts';
import { compareWriterKeys, type WriterKey } from './writer-key.ts';
import { REDUCERS, type Reducer } from './reducers.ts';
import { deepFreeze } from './deep-freeze.ts';

/** Reading side of the store: what an attempt's state view reads through to. */
export interface StateReader {
  snapshot(): Readonly<Record<string, unknown>>;
  get(key: string): unknown;
}

/** Why a write was refused, as data (`fields.reason` of STATE_WRITE_REJECTED). */
export type StateRejectReason = 'stale' | 'undeclared' | 'not-allowed' | 'sealed' | 'invalid-value';

export interface StateStoreStats {
  /** Commits applied (including empty ones). */
  commits: number;
  /** Commits refused: stale attempt, undeclared key, bad value, or over a key's `max`. */
  rejected: number;
}

interface Contribution {
  writer: WriterKey;
  /** The store's commit counter: orders two commits by the same writer (which the engines never do). */
  commit: number;
  /** Position in the attempt's list of writes. */
  seq: number;
  value: unknown;
}

interface KeySlot {
  readonly name: string;
  readonly spec: StateKeySpec;
  readonly reducer: Reducer<unknown>;
  /** Deep-frozen copy of the declared `initial`. */
  readonly initial: unknown;
  /** Sorted by writer order; see `compareContributions`. */
  contributions: Contribution[];
  acc: unknown;
  /** The frozen committed value, or undefined when it must be rebuilt from `acc`. */
  materialised: { value: unknown } | undefined;
}

function compareContributions(a: Contribution, b: Contribution): number {
  return compareWriterKeys(a.writer, b.writer) || a.commit - b.commit || a.seq - b.seq;
}

/** First index whose contribution sorts after `c` (contributions are sorted). */
function insertionIndex(list: readonly Contribution[], c: Contribution): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareContributions(list[mid]!, c) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function describeWriter(writer: WriterKey): string {
  return writer.itemIndex === 0 ? `step "${writer.stepId}"` : `step "${writer.stepId}" item ${writer.itemIndex}`;
}

function cloneFrozen(key: string, writer: WriterKey, value: unknown): unknown {
  try {
    return deepFreeze(structuredClone(value));
  } catch (error) {
    throw new UcopError('STATE_WRITE_REJECTED', `${describeWriter(writer)} wrote a value to state key "${key}" that is not plain data (functions, class instances with private state and the like cannot be stored); write JSON-like data`, {
      fields: { key, stepId: writer.stepId, reason: 'invalid-value' satisfies StateRejectReason },
      cause: error,
    });
  }
}

/**
 * The run's shared state: only declared keys, each folded by its reducer.
 *
 * Writes are committed under an `async-mutex` lock, all of a commit or nothing, and only while the writing
 * attempt is still current (a cancelled or timed-out attempt cannot commit).
 *
 * Determinism: the committed value of a key does not depend on the order in which attempts finish. Every
 * contribution is kept, sorted by its {@link WriterKey} (plan order, then fan-out item index), then by the
 * position of the write within the attempt, and the key's value is the fold of its reducer over the
 * contributions in that order. A commit that sorts after everything already committed (the common case,
 * and always the case in the sequential engine) folds incrementally; one that sorts earlier refolds the key
 * from its initial value. So the parallel and the sequential engine end with byte-identical state, `sum`
 * included (floating-point addition is not associative, so even sums are folded in writer order).
 * Intermediate snapshots may differ between engines; only the set of finished writers decides the value.
 *
 * Snapshots are deep-frozen and consistent: a commit replaces values, it never changes a value a reader holds.
 */
export class StateStore implements StateReader {
  readonly #slots = new Map<string, KeySlot>();
  readonly #mutex = new Mutex();
  #commitCounter = 0;
  #commits = 0;
  #rejected = 0;
  #snapshot: Readonly<Record<string, unknown>> | undefined;

  /** @param specs the workflow's `state:` section; `initial` values are honoured. */
  constructor(specs: Readonly<Record<string, StateKeySpec>>) {
    for (const [name, spec] of Object.entries(specs)) {
      const reducer = REDUCERS[spec.reducer];
      if (!reducer) {
        throw new UcopError('SCHEMA_INVALID', `state key "${name}" has unknown reducer "${String(spec.reducer)}"; use one of ${Object.keys(REDUCERS).join(', ')}`, {
          fields: { key: name },
        });
      }
      const initial = spec.initial === undefined ? undefined : deepFreeze(structuredClone(spec.initial));
      this.#slots.set(name, { name, spec, reducer, initial, contributions: [], acc: reducer.init(name, initial), materialised: undefined });
    }
  }

  /** The declared keys, in declaration order. */
  keys(): string[] {
    return [...this.#slots.keys()];
  }

  /** Every declared key with its committed value; deep-frozen, and the same object until the next commit. */
  snapshot(): Readonly<Record<string, unknown>> {
    if (this.#snapshot) return this.#snapshot;
    const out: Record<string, unknown> = {};
    for (const slot of this.#slots.values()) out[slot.name] = this.#valueOf(slot);
    this.#snapshot = Object.freeze(out);
    return this.#snapshot;
  }

  /** The committed value of `key` (deep-frozen), or undefined for an undeclared key. */
  get(key: string): unknown {
    const slot = this.#slots.get(key);
    return slot ? this.#valueOf(slot) : undefined;
  }

  /**
   * Commits one attempt's writes atomically. `isCurrent` is checked inside the lock, so an attempt that
   * was cancelled or timed out while waiting for the lock commits nothing.
   *
   * @throws UcopError STATE_WRITE_REJECTED (stale attempt, undeclared key, value the reducer cannot take) or
   *   STATE_LIMIT_EXCEEDED (a list would exceed its `max`); in every case nothing was applied.
   */
  commit(writer: WriterKey, writes: readonly StateWrite[], isCurrent: () => boolean): Promise<void> {
    return this.#mutex.runExclusive(() => {
      try {
        this.#commitLocked(writer, writes, isCurrent);
        this.#commits += 1;
      } catch (error) {
        this.#rejected += 1;
        throw error;
      }
    });
  }

  stats(): StateStoreStats {
    return { commits: this.#commits, rejected: this.#rejected };
  }

  #commitLocked(writer: WriterKey, writes: readonly StateWrite[], isCurrent: () => boolean): void {
    if (!isCurrent()) {
      throw new UcopError('STATE_WRITE_REJECTED', `${describeWriter(writer)} is no longer current (it was cancelled or timed out), so its state writes were discarded`, {
        fields: { stepId: writer.stepId, itemIndex: writer.itemIndex, reason: 'stale' satisfies StateRejectReason },
      });
    }
    if (writes.length === 0) return;
    const commit = ++this.#commitCounter;

    // Phase 1: validate and copy every write, grouped by key, without changing anything.
    const byKey = new Map<KeySlot, Contribution[]>();
    writes.forEach((write, seq) => {
      const slot = this.#slots.get(write.key);
      if (!slot) {
        throw new UcopError('STATE_WRITE_REJECTED', `${describeWriter(writer)} wrote state key "${write.key}", which is not declared; declare it under \`state:\` and list it in the step's \`writes:\``, {
          fields: { key: write.key, stepId: writer.stepId, reason: 'undeclared' satisfies StateRejectReason },
        });
      }
      const value = cloneFrozen(write.key, writer, write.value);
      slot.reducer.check(write.key, value);
      let list = byKey.get(slot);
      if (!list) byKey.set(slot, (list = []));
      list.push({ writer, commit, seq, value });
    });

    // Phase 2: fold. A key whose new contributions sort last is folded in place (and undone if a later key of
    // the same commit fails); any other key is refolded into a fresh accumulator, swapped in at the end.
    const undo: (() => void)[] = [];
    const swaps: { slot: KeySlot; contributions: Contribution[]; acc: unknown }[] = [];
    try {
      for (const [slot, added] of byKey) {
        // `added` is contiguous in sort order (same writer and commit, increasing seq).
        const at = insertionIndex(slot.contributions, added[0]!);
        if (at === slot.contributions.length) {
          const mark = slot.reducer.mark(slot.acc);
          const length = slot.contributions.length;
          undo.push(() => {
            slot.reducer.rollback(slot.acc, mark);
            slot.contributions.length = length;
          });
          for (const c of added) {
            slot.reducer.add(slot.acc, c.value);
            slot.contributions.push(c);
          }
          this.#checkMax(slot, slot.acc, writer);
        } else {
          const contributions = [...slot.contributions.slice(0, at), ...added, ...slot.contributions.slice(at)];
          const acc = slot.reducer.init(slot.name, slot.initial);
          for (const c of contributions) slot.reducer.add(acc, c.value);
          this.#checkMax(slot, acc, writer);
          swaps.push({ slot, contributions, acc });
        }
      }
    } catch (error) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
      throw error;
    }

    // Phase 3: publish. Nothing below can throw.
    for (const { slot, contributions, acc } of swaps) {
      slot.contributions = contributions;
      slot.acc = acc;
    }
    for (const slot of byKey.keys()) slot.materialised = undefined;
    this.#snapshot = undefined;
  }

  #checkMax(slot: KeySlot, acc: unknown, writer: WriterKey): void {
    const max = slot.spec.max;
    if (max === undefined || !slot.reducer.length) return;
    const length = slot.reducer.length(acc);
    if (length <= max) return;
    throw new UcopError('STATE_LIMIT_EXCEEDED', `state key "${slot.name}" would hold ${length} items after the write by ${describeWriter(writer)}, over its max of ${max}; raise \`max\` under state.${slot.name} or write fewer items`, {
      fields: { key: slot.name, max, length, stepId: writer.stepId, itemIndex: writer.itemIndex },
    });
  }

  #valueOf(slot: KeySlot): unknown {
    if (!slot.materialised) slot.materialised = { value: deepFreeze(slot.reducer.value(slot.acc)) };
    return slot.materialised.value;
  }
}
