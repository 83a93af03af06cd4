import { describe, it, expect } from 'vitest';
import { exitCodeFor, isUcopError } from '@ucop/core';
import type { InputSpec } from '@ucop/core';
import { checkRequiredInputs, parseInputAssignments } from './input-values.ts';

const specs: Record<string, InputSpec> = {
  source: { type: 'string', required: true },
  keywords: { type: 'array', items: { type: 'string' }, default: [] },
  sizes: { type: 'array', items: { type: 'number' } },
  count: { type: 'integer' },
  ratio: { type: 'number' },
  draft: { type: 'boolean' },
  meta: { type: 'object' },
  tone: { type: 'string', enum: ['formal', 'casual'] },
};

function errorOf(fn: () => unknown): { code: string; message: string; exit: number; fields: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    if (!isUcopError(error)) throw error;
    return { code: error.code, message: error.message, exit: exitCodeFor(error.code), fields: { ...error.fields } };
  }
  throw new Error('expected an error');
}

describe('parseInputAssignments', () => {
  it('keeps strings as written, including "=" inside the value', () => {
    expect(parseInputAssignments(['source=a=b.md'], specs)).toEqual({ source: 'a=b.md' });
  });

  it('splits comma-separated arrays and trims items', () => {
    expect(parseInputAssignments(['keywords=ai, agents ,dag'], specs)).toEqual({ keywords: ['ai', 'agents', 'dag'] });
  });

  it('reads JSON arrays and converts comma lists by the item type', () => {
    expect(parseInputAssignments(['keywords=["a,b","c"]'], specs)).toEqual({ keywords: ['a,b', 'c'] });
    expect(parseInputAssignments(['sizes=1, 2.5'], specs)).toEqual({ sizes: [1, 2.5] });
  });

  it('gives an empty array for an empty value and appends repeated array inputs', () => {
    expect(parseInputAssignments(['keywords='], specs)).toEqual({ keywords: [] });
    expect(parseInputAssignments(['keywords=a', 'keywords=b,c'], specs)).toEqual({ keywords: ['a', 'b', 'c'] });
  });

  it('parses numbers, integers, booleans and objects', () => {
    expect(parseInputAssignments(['ratio=0.5', 'count=3', 'draft=yes', 'meta={"a":1}'], specs)).toEqual({
      ratio: 0.5,
      count: 3,
      draft: true,
      meta: { a: 1 },
    });
    expect(parseInputAssignments(['draft=false'], specs)).toEqual({ draft: false });
    expect(parseInputAssignments(['ratio=-1.5e-3', 'count= -7 '], specs)).toEqual({ ratio: -0.0015, count: -7 });
    expect(parseInputAssignments(['ratio=.5'], specs)).toEqual({ ratio: 0.5 });
  });

  it.each([
    ['ratio=abc', 'ratio', 'a number'],
    ['ratio=', 'ratio', 'a number'],
    ['count=1.5', 'count', 'an integer'],
    ['count=0x10', 'count', 'an integer'],
    ['count=1e3', 'count', 'an integer'],
    ['count=99999999999999999999', 'count', 'an integer'],
    ['ratio=0x10', 'ratio', 'a number'],
    ['ratio=Infinity', 'ratio', 'a number'],
    ['draft=maybe', 'draft', 'a boolean'],
    ['meta=[1]', 'meta', 'a JSON object'],
    ['sizes=1,x', 'sizes', 'a number'],
    ['sizes=[1,"x"]', 'sizes', 'item 1'],
    ['keywords=[1', 'keywords', 'a JSON array'],
    ['tone=angry', 'tone', 'one of "formal", "casual"'],
  ])('refuses %s with a usage error that names the input', (assignment, field, expected) => {
    const error = errorOf(() => parseInputAssignments([assignment], specs));
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.exit).toBe(2);
    expect(error.message).toContain(`"${field}"`);
    expect(error.message).toContain(expected);
    expect(error.fields['input']).toBe(field);
  });

  it('refuses an undeclared input and lists the declared ones', () => {
    const error = errorOf(() => parseInputAssignments(['sorce=a.md'], specs));
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.exit).toBe(2);
    expect(error.message).toContain('unknown input "sorce"');
    expect(error.message).toContain('source');
  });

  it('refuses an assignment without "=" and a repeated scalar input', () => {
    expect(errorOf(() => parseInputAssignments(['source'], specs))).toMatchObject({ code: 'USAGE', exit: 2 });
    expect(errorOf(() => parseInputAssignments(['source=a', 'source=b'], specs)).message).toContain('"source" is given twice');
  });

  it('does not let __proto__ reach the prototype', () => {
    const values = parseInputAssignments(['__proto__=x'], { ['__proto__']: { type: 'string' } } as Record<string, InputSpec>);
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});

describe('checkRequiredInputs', () => {
  it('names every missing required input that has no default', () => {
    const error = errorOf(() => checkRequiredInputs({}, { ...specs, other: { type: 'string', required: true } }));
    expect(error.code).toBe('INPUT_MISSING');
    expect(error.exit).toBe(2);
    expect(error.message).toContain('"source"');
    expect(error.message).toContain('"other"');
    expect(error.message).not.toContain('"keywords"');
  });

  it('accepts given inputs', () => {
    expect(() => checkRequiredInputs({ source: 'a.md' }, specs)).not.toThrow();
  });
});
