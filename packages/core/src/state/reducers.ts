import type { ReducerName } from '../dsl/workflow-document.ts';
import { UcopError } from '../errors/ucop-error.ts';
import { canonicalJson } from './canonical-json.ts';

/**
 * How a state key folds the values written to it. The store keeps an accumulator per key and feeds it the
 * contributions in writer order (see state-store.ts). `add` mutates the accumulator in place (appending to
 * a list of thousands must not copy it); `mark` and `rollback` undo the adds of a commit that turns out to be
 * invalid, so that commits stay all-or-nothing.
 */
export interface Reducer<A> {
  /** The accumulator for a key with its declared `initial` value (undefined when none was declared). */
  init(key: string, initial: unknown): A;
  /** Remembers the accumulator's current state, cheaply where possible. */
  mark(acc: A): unknown;
  /** Returns the accumulator to the state `mark` returned. */
  rollback(acc: A, mark: unknown): void;
  /** Throws STATE_WRITE_REJECTED when `value` cannot be folded with this reducer; runs before any `add`. */
  check(key: string, value: unknown): void;
  add(acc: A, value: unknown): void;
  /** The committed value seen by readers (not yet frozen; the store freezes it). */
  value(acc: A): unknown;
  /** For list reducers: how many items the accumulator holds, checked against the key's `max`. */
  length?(acc: A): number;
}

function reject(key: string, reducer: ReducerName, expected: string, value: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
  throw new UcopError('STATE_WRITE_REJECTED', `state key "${key}" uses reducer "${reducer}", which takes ${expected}, got ${got}`, {
    fields: { key, reducer },
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A written value, or each element when a list is written: `append` and `union` take either. */
function itemsOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [value];
}

function initialList(key: string, reducer: ReducerName, initial: unknown): unknown[] {
  if (initial === undefined || initial === null) return [];
  if (!Array.isArray(initial)) reject(key, reducer, 'a list as its `initial` value', initial);
  return [...initial];
}

const append: Reducer<unknown[]> = {
  init: (key, initial) => initialList(key, 'append', initial),
  mark: (acc) => acc.length,
  rollback(acc, mark) {
    acc.length = mark as number;
  },
  check() {},
  add(acc, value) {
    for (const item of itemsOf(value)) acc.push(item);
  },
  value: (acc) => [...acc],
  length: (acc) => acc.length,
};

interface UnionAcc {
  items: unknown[];
  seen: Set<string>;
}

const union: Reducer<UnionAcc> = {
  init(key, initial) {
    const acc: UnionAcc = { items: [], seen: new Set() };
    union.add(acc, initialList(key, 'union', initial));
    return acc;
  },
  mark: (acc) => acc.items.length,
  rollback(acc, mark) {
    for (const item of acc.items.splice(mark as number)) acc.seen.delete(canonicalJson(item));
  },
  check() {},
  add(acc, value) {
    for (const item of itemsOf(value)) {
      const id = canonicalJson(item);
      if (acc.seen.has(id)) continue;
      acc.seen.add(id);
      acc.items.push(item);
    }
  },
  value: (acc) => [...acc.items],
  length: (acc) => acc.items.length,
};

const merge: Reducer<Record<string, unknown>> = {
  init(key, initial) {
    if (initial === undefined || initial === null) return {};
    if (!isPlainObject(initial)) reject(key, 'merge', 'an object as its `initial` value', initial);
    return { ...initial };
  },
  // Merged objects are small (a few named entries), so a shallow copy is a cheap enough mark.
  mark: (acc) => ({ ...acc }),
  rollback(acc, mark) {
    for (const key of Object.keys(acc)) delete acc[key];
    Object.assign(acc, mark);
  },
  check(key, value) {
    if (!isPlainObject(value)) reject(key, 'merge', 'an object', value);
  },
  add(acc, value) {
    Object.assign(acc, value);
  },
  value: (acc) => ({ ...acc }),
};

interface ReplaceAcc {
  current: unknown;
}

const replace: Reducer<ReplaceAcc> = {
  // JSON has no `undefined`: a key that was never written reads as null in snapshots and run records.
  init: (_key, initial) => ({ current: initial ?? null }),
  mark: (acc) => acc.current,
  rollback(acc, mark) {
    acc.current = mark;
  },
  check() {},
  add(acc, value) {
    acc.current = value;
  },
  value: (acc) => acc.current,
};

interface SumAcc {
  total: number;
}

const sum: Reducer<SumAcc> = {
  init(key, initial) {
    if (initial === undefined || initial === null) return { total: 0 };
    if (typeof initial !== 'number' || !Number.isFinite(initial)) reject(key, 'sum', 'a finite number as its `initial` value', initial);
    return { total: initial };
  },
  mark: (acc) => acc.total,
  rollback(acc, mark) {
    acc.total = mark as number;
  },
  check(key, value) {
    if (typeof value !== 'number' || !Number.isFinite(value)) reject(key, 'sum', 'a finite number', value);
  },
  add(acc, value) {
    acc.total += value as number;
  },
  value: (acc) => acc.total,
};

/**
 * The reducers, one per name a workflow may give under `state:`:
 * - `append`: a value, or each element of a written list, is appended.
 * - `merge`: shallow object merge; later writers win per top-level key.
 * - `replace`: the last writer wins (`null` until written, unless `initial` is given).
 * - `sum`: numbers are added.
 * - `union`: like `append`, but an item equal (as canonical JSON) to one already present is dropped.
 *
 * "Later" and "last" mean later in writer order (plan order, item index, position in the attempt's writes),
 * never in completion order.
 */
export const REDUCERS: { readonly [N in ReducerName]: Reducer<unknown> } = {
  append: append as Reducer<unknown>,
  union: union as Reducer<unknown>,
  merge: merge as Reducer<unknown>,
  replace: replace as Reducer<unknown>,
  sum: sum as Reducer<unknown>,
};
