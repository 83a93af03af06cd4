import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { StateStore } from './state-store.ts';
import type { WriterKey } from './writer-key.ts';
import { isUcopError } from '../errors/ucop-error.ts';
import type { StateKeySpec } from '../dsl/workflow-document.ts';

const always = (): boolean => true;
const w = (stepId: string, order: number, itemIndex = 0): WriterKey => ({ stepId, order, itemIndex });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isUcopError(error) ? error.code : `not a UcopError: ${String(error)}`;
  }
  return 'resolved';
}

const yieldTicks = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

describe('StateStore', () => {
  it('starts from declared initial values and the reducers’ defaults', () => {
    const store = new StateStore({
      a: { reducer: 'append' },
      b: { reducer: 'append', initial: ['x'] },
      m: { reducer: 'merge', initial: { k: 1 } },
      r: { reducer: 'replace' },
      s: { reducer: 'sum', initial: 5 },
      u: { reducer: 'union', initial: [1, 1, 2] },
    });
    expect(store.snapshot()).toEqual({ a: [], b: ['x'], m: { k: 1 }, r: null, s: 5, u: [1, 2] });
    expect(store.keys()).toEqual(['a', 'b', 'm', 'r', 's', 'u']);
  });

  it('folds each reducer', async () => {
    const store = new StateStore({
      a: { reducer: 'append' },
      m: { reducer: 'merge' },
      r: { reducer: 'replace' },
      s: { reducer: 'sum' },
      u: { reducer: 'union' },
    });
    await store.commit(w('one', 0), [
      { key: 'a', value: 1 },
      { key: 'a', value: [2, 3] },
      { key: 'm', value: { x: 1, y: 1 } },
      { key: 'r', value: 'first' },
      { key: 's', value: 2 },
      { key: 'u', value: [{ a: 1, b: 2 }, 'z'] },
    ], always);
    await store.commit(w('two', 1), [
      { key: 'm', value: { y: 2 } },
      { key: 'r', value: 'second' },
      { key: 's', value: 3.5 },
      { key: 'u', value: [{ b: 2, a: 1 }, 'z', 'new'] },
    ], always);
    expect(store.snapshot()).toEqual({
      a: [1, 2, 3],
      m: { x: 1, y: 2 },
      r: 'second',
      s: 5.5,
      u: [{ a: 1, b: 2 }, 'z', 'new'],
    });
    expect(store.stats()).toEqual({ commits: 2, rejected: 0 });
  });

  it('rejects an undeclared key and applies nothing of that commit', async () => {
    const store = new StateStore({ a: { reducer: 'append' } });
    const code = await codeOf(store.commit(w('s', 0), [{ key: 'a', value: 1 }, { key: 'nope', value: 2 }], always));
    expect(code).toBe('STATE_WRITE_REJECTED');
    expect(store.get('a')).toEqual([]);
    expect(store.stats()).toEqual({ commits: 0, rejected: 1 });
  });

  it('rejects values a reducer cannot take', async () => {
    const store = new StateStore({ s: { reducer: 'sum' }, m: { reducer: 'merge' } });
    expect(await codeOf(store.commit(w('x', 0), [{ key: 's', value: '3' }], always))).toBe('STATE_WRITE_REJECTED');
    expect(await codeOf(store.commit(w('x', 0), [{ key: 'm', value: [1] }], always))).toBe('STATE_WRITE_REJECTED');
    expect(await codeOf(store.commit(w('x', 0), [{ key: 's', value: () => 1 }], always))).toBe('STATE_WRITE_REJECTED');
    expect(store.snapshot()).toEqual({ s: 0, m: {} });
  });

  it('rejects a stale attempt inside the lock, leaving no trace', async () => {
    const store = new StateStore({ a: { reducer: 'append' } });
    let current = true;
    // Hold the lock with a first commit whose isCurrent check flips the second attempt to stale.
    const first = store.commit(w('first', 0), [{ key: 'a', value: 'kept' }], () => {
      current = false;
      return true;
    });
    const second = store.commit(w('second', 1), [{ key: 'a', value: 'late' }], () => current);
    await first;
    const code = await codeOf(second);
    expect(code).toBe('STATE_WRITE_REJECTED');
    expect(store.get('a')).toEqual(['kept']);
    expect(store.stats()).toEqual({ commits: 1, rejected: 1 });
  });

  it('says which key and which max when a list would grow past max, and applies nothing', async () => {
    const store = new StateStore({ flags: { reducer: 'append', max: 2 }, other: { reducer: 'sum' } });
    await store.commit(w('a', 0), [{ key: 'flags', value: ['x', 'y'] }], always);
    let caught: unknown;
    try {
      await store.commit(w('b', 1), [{ key: 'other', value: 1 }, { key: 'flags', value: 'z' }], always);
    } catch (error) {
      caught = error;
    }
    expect(isUcopError(caught) && caught.code).toBe('STATE_LIMIT_EXCEEDED');
    expect(String((caught as Error).message)).toMatch(/"flags".*max of 2.*raise `max`/);
    expect(store.snapshot()).toEqual({ flags: ['x', 'y'], other: 0 });
  });

  it('counts union items after de-duplication against max', async () => {
    const store = new StateStore({ u: { reducer: 'union', max: 2 } });
    await store.commit(w('a', 0), [{ key: 'u', value: ['x', 'y'] }], always);
    await store.commit(w('b', 1), [{ key: 'u', value: ['x', 'y', 'x'] }], always);
    expect(await codeOf(store.commit(w('c', 2), [{ key: 'u', value: 'z' }], always))).toBe('STATE_LIMIT_EXCEEDED');
    expect(store.get('u')).toEqual(['x', 'y']);
  });

  it('undoes in-place folds of every reducer when a later key of the commit fails', async () => {
    const store = new StateStore({
      m: { reducer: 'merge', initial: { keep: 1 } },
      u: { reducer: 'union', initial: ['x'] },
      r: { reducer: 'replace' },
      s: { reducer: 'sum' },
      limited: { reducer: 'append', max: 1 },
    });
    const failing = store.commit(w('a', 0), [
      { key: 'm', value: { keep: 2, added: true } },
      { key: 'u', value: ['y', 'z'] },
      { key: 'r', value: 'new' },
      { key: 's', value: 4 },
      { key: 'limited', value: [1, 2] },
    ], always);
    expect(await codeOf(failing)).toBe('STATE_LIMIT_EXCEEDED');
    expect(store.snapshot()).toEqual({ m: { keep: 1 }, u: ['x'], r: null, s: 0, limited: [] });
    // The union forgot 'y' as well: writing it again adds it.
    await store.commit(w('b', 1), [{ key: 'u', value: 'y' }, { key: 'limited', value: 1 }], always);
    expect(store.snapshot()).toEqual({ m: { keep: 1 }, u: ['x', 'y'], r: null, s: 0, limited: [1] });
  });

  it('refolds a key when a commit sorts before earlier ones', async () => {
    const store = new StateStore({ a: { reducer: 'append', max: 3 }, r: { reducer: 'replace' } });
    await store.commit(w('late', 5), [{ key: 'a', value: 'late' }, { key: 'r', value: 'late' }], always);
    await store.commit(w('early', 1), [{ key: 'a', value: 'early' }, { key: 'r', value: 'early' }], always);
    await store.commit(w('mid', 3, 1), [{ key: 'a', value: ['mid1', 'mid2'] }], always).catch(() => undefined);
    expect(store.snapshot()).toEqual({ a: ['early', 'late'], r: 'late' });
    await store.commit(w('mid', 3, 0), [{ key: 'a', value: 'mid0' }], always);
    expect(store.snapshot()).toEqual({ a: ['early', 'mid0', 'late'], r: 'late' });
  });

  it('hands out deep-frozen snapshots that later commits never change', async () => {
    const store = new StateStore({ a: { reducer: 'append' }, m: { reducer: 'merge' } });
    const written = { nested: { n: 1 } };
    await store.commit(w('a', 0), [{ key: 'a', value: written }, { key: 'm', value: { k: [1] } }], always);
    written.nested.n = 99; // the store kept a copy
    const snap = store.snapshot();
    expect(Object.isFrozen(snap)).toBe(true);
    expect(() => {
      (snap.a as unknown[]).push(2);
    }).toThrow(TypeError);
    expect(() => {
      ((snap.a as { nested: { n: number } }[])[0]!.nested).n = 3;
    }).toThrow(TypeError);
    expect(() => {
      ((snap.m as { k: number[] }).k).push(2);
    }).toThrow(TypeError);
    await store.commit(w('b', 1), [{ key: 'a', value: 'more' }], always);
    expect(snap.a).toEqual([{ nested: { n: 1 } }]);
    expect(store.get('a')).toEqual([{ nested: { n: 1 } }, 'more']);
    expect(store.snapshot()).not.toBe(snap);
  });

  it('never loses an update with thousands of interleaved concurrent writers', async () => {
    const store = new StateStore({ log: { reducer: 'append' }, total: { reducer: 'sum' }, seen: { reducer: 'merge' } });
    const writers = 200;
    const perWriter = 15;
    const tasks = Array.from({ length: writers }, async (_, i) => {
      for (let j = 0; j < perWriter; j++) {
        await yieldTicks((i * 7 + j * 13) % 5);
        await store.commit(w(`s${i}`, i, j), [
          { key: 'log', value: `${i}:${j}` },
          { key: 'total', value: 1 },
          { key: 'seen', value: { [`${i}:${j}`]: true } },
        ], always);
      }
    });
    await Promise.all(tasks);
    const snap = store.snapshot();
    expect(snap.total).toBe(writers * perWriter);
    expect((snap.log as string[]).length).toBe(writers * perWriter);
    expect(new Set(snap.log as string[]).size).toBe(writers * perWriter);
    expect(Object.keys(snap.seen as object).length).toBe(writers * perWriter);
    // Folded in writer order, whatever the interleaving was.
    const expected = Array.from({ length: writers }, (_, i) => Array.from({ length: perWriter }, (_, j) => `${i}:${j}`)).flat();
    expect(snap.log).toEqual(expected);
    expect(store.stats()).toEqual({ commits: writers * perWriter, rejected: 0 });
  });

  it('gives identical snapshots whatever the commit order (fast-check)', async () => {
    const specs: Record<string, StateKeySpec> = {
      a: { reducer: 'append' },
      m: { reducer: 'merge' },
      r: { reducer: 'replace' },
      s: { reducer: 'sum' },
      u: { reducer: 'union' },
    };
    const keys = Object.keys(specs);
    const valueFor = (key: string, n: number): unknown => {
      switch (key) {
        case 'm':
          return { [`k${n % 3}`]: n };
        case 's':
          return n / 10; // non-integers: floating-point sums depend on order
        case 'u':
          return [n % 4, { v: n % 2 }];
        default:
          return n;
      }
    };
    const commitArb = fc.record({
      order: fc.integer({ min: 0, max: 5 }),
      itemIndex: fc.integer({ min: 0, max: 3 }),
      writes: fc.array(fc.tuple(fc.constantFrom(...keys), fc.integer({ min: 0, max: 50 })), { minLength: 1, maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(commitArb, { selector: (c) => `${c.order}/${c.itemIndex}`, minLength: 1, maxLength: 12 }).chain((commits) =>
          fc.tuple(fc.constant(commits), fc.shuffledSubarray(commits, { minLength: commits.length, maxLength: commits.length })),
        ),
        async ([commits, shuffled]) => {
          const run = async (list: typeof commits): Promise<string> => {
            const store = new StateStore(specs);
            for (const c of list) {
              await store.commit(w(`step${c.order}`, c.order, c.itemIndex), c.writes.map(([key, n]) => ({ key, value: valueFor(key, n) })), always);
            }
            return JSON.stringify(store.snapshot());
          };
          expect(await run(shuffled)).toBe(await run(commits));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives identical snapshots whatever the commit order when commits race concurrently', async () => {
    const specs: Record<string, StateKeySpec> = { a: { reducer: 'append' }, s: { reducer: 'sum' } };
    const results = new Set<string>();
    for (let round = 0; round < 5; round++) {
      const store = new StateStore(specs);
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          await yieldTicks((i * (round + 3)) % 11);
          await store.commit(w(`s${i}`, i), [{ key: 'a', value: i }, { key: 's', value: 0.1 * i }], always);
        }),
      );
      results.add(JSON.stringify(store.snapshot()));
    }
    expect(results.size).toBe(1);
  });
});
