import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json.ts';

/** The definition, spelled out: a copy with keys sorted at every level, then JSON. */
function reference(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v === null || typeof v !== 'object') return v;
    const json = (v as { toJSON?: unknown }).toJSON;
    if (typeof json === 'function') return sorted((json as () => unknown).call(v));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) out[key] = sorted((v as Record<string, unknown>)[key]);
    return out;
  };
  return JSON.stringify(sorted(value)) ?? 'undefined';
}

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe(canonicalJson({ a: { c: 2, d: 1 }, b: 1 }));
    expect(canonicalJson([{ y: 2, x: 1 }])).toBe('[{"x":1,"y":2}]');
  });

  it('spells values as JSON does, and a bare undefined apart from null', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    expect(canonicalJson(new Date(0))).not.toBe(canonicalJson(new Date(1)));
    expect(canonicalJson(undefined)).toBe('undefined');
    expect(canonicalJson(null)).toBe('null');
  });

  it('gives data whose keys are already sorted the same text as the sorted copy (it is not copied)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 300 },
    );
    // Integer-like keys (listed first by Object.keys), objects without a prototype, boxed primitives and class instances.
    expect(canonicalJson({ 10: 'a', 9: 'b', x: 1 })).toBe(reference({ 10: 'a', 9: 'b', x: 1 }));
    expect(canonicalJson({ 1: 'a', 2: 'b', x: 1 })).toBe('{"1":"a","2":"b","x":1}');
    expect(canonicalJson(Object.assign(Object.create(null) as object, { b: 1, a: [2, { d: 1, c: 0 }] }))).toBe('{"a":[2,{"c":0,"d":1}],"b":1}');
    expect(canonicalJson(new String('x'))).toBe(reference(new String('x')));
    class Point {
      y = 2;
      x = 1;
    }
    expect(canonicalJson([new Point()])).toBe('[{"x":1,"y":2}]');
    expect(canonicalJson({ a: [undefined, () => 1], b: undefined })).toBe(reference({ a: [undefined, () => 1], b: undefined }));
  });
});
