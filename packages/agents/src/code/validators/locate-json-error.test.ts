import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { locateJsonError } from './locate-json-error.ts';

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('locateJsonError', () => {
  it('agrees with JSON.parse on valid JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => locateJsonError(JSON.stringify(value, null, pretty ? 2 : undefined)) === -1));
  });

  it('agrees with JSON.parse on damaged JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.string({ maxLength: 2 }), (value, at, insert) => {
        const text = JSON.stringify(value);
        const cut = at % (text.length + 1);
        const damaged = text.slice(0, cut) + insert + text.slice(cut + 1);
        return (locateJsonError(damaged) === -1) === parses(damaged);
      }),
      { numRuns: 500 },
    );
  });

  it('points at the first offending character', () => {
    expect(locateJsonError('{"a": tru}')).toBe(9);
    expect(locateJsonError('{"a": 1,}')).toBe(8);
    expect(locateJsonError('')).toBe(0);
    expect(locateJsonError('1 2')).toBe(2);
  });
});
