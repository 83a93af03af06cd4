import { describe, expect, it } from 'vitest';
import type { ExpressionScope } from './ast.ts';
import { evaluateExpression } from './evaluator.ts';
import { EXPRESSION_FUNCTIONS, FUNCTION_NAMES } from './functions.ts';
import { parseExpression } from './parser.ts';

const scope: ExpressionScope = {
  inputs: { s: 'Hello World', list: ['a', 'b', 'c'], obj: { x: 1, y: [2] }, n: 5, nil: null, objs: [{ a: 1 }, { b: 2 }], nested: [{ t: [1, 2] }, { t: [3] }] },
  steps: {},
  state: {},
  env: {},
};
const run = (source: string): unknown => evaluateExpression(parseExpression(source), scope);

describe('the function table', () => {
  it('lists exactly the documented functions', () => {
    expect([...FUNCTION_NAMES].sort()).toEqual(
      ['concat', 'contains', 'default', 'endsWith', 'flatten', 'if', 'join', 'keys', 'len', 'lower', 'not_empty', 'pluck', 'range', 'slice', 'startsWith', 'toJSON', 'unique', 'upper'].sort(),
    );
    expect(Object.isFrozen(FUNCTION_NAMES)).toBe(true);
  });

  it('documents every function with a signature naming it and consistent arity', () => {
    for (const [name, fn] of EXPRESSION_FUNCTIONS) {
      expect(fn.signature.startsWith(`${name}(`)).toBe(true);
      expect(fn.description.length).toBeGreaterThan(10);
      expect(fn.minArgs).toBeLessThanOrEqual(fn.maxArgs);
    }
  });
});

describe('functions', () => {
  const cases: [string, unknown][] = [
    ['len(inputs.s)', 11], ['len(inputs.list)', 3], ['len(inputs.obj)', 2], ['len(inputs.missing)', 0], ['len(null)', 0], ['len([])', 0],
    ["contains(inputs.list, 'b')", true], ["contains(inputs.list, 'z')", false], ["contains(inputs.s, 'World')", true],
    ["contains(inputs.s, 'world')", false], ['contains(inputs.objs, inputs.objs[1])', true], ["contains(inputs.objs, [1])", false],
    ['contains([1, 2], 2)', true], ["contains([1, 2], '2')", false], ['contains(inputs.s, 1)', false], ["contains(inputs.missing, 'a')", false],
    ["startsWith(inputs.s, 'Hello')", true], ["startsWith(inputs.s, 'World')", false], ["startsWith(inputs.n, '5')", false],
    ["endsWith(inputs.s, 'World')", true], ["endsWith(inputs.s, 'Hello')", false], ["endsWith(inputs.missing, '')", false],
    ["join(inputs.list, ', ')", 'a, b, c'], ['join(inputs.list)', 'a,b,c'], ["join([1, null, true, [2]], '-')", '1--true-[2]'],
    ["join(inputs.s, '-')", 'Hello World'], ["join(inputs.missing, '-')", ''],
    ["default(inputs.missing, 'fb')", 'fb'], ["default(inputs.nil, 'fb')", 'fb'], ["default(inputs.s, 'fb')", 'Hello World'],
    ['default(0, 1)', 0], ["default('', 'x')", ''], ['default(false, true)', false],
    ['lower(inputs.s)', 'hello world'], ['upper(inputs.s)', 'HELLO WORLD'], ['lower(inputs.missing)', ''], ['upper(null)', ''],
    ['slice(inputs.list, 1)', ['b', 'c']], ['slice(inputs.list, 0, 2)', ['a', 'b']], ['slice(inputs.list, -1)', ['c']],
    ['slice(inputs.s, 0, 5)', 'Hello'], ['slice(inputs.s, -5)', 'World'], ['slice(inputs.missing, 0)', null],
    ['keys(inputs.obj)', ['x', 'y']], ['keys(inputs.missing)', []], ['keys(null)', []],
    ['toJSON(inputs.obj)', '{"x":1,"y":[2]}'], ['toJSON(inputs.s)', '"Hello World"'], ['toJSON(inputs.missing)', 'null'], ['toJSON([1, "a"])', '[1,"a"]'],
    ['not_empty(inputs.list)', true], ['not_empty([])', false], ["not_empty('')", false], ['not_empty(inputs.missing)', false],
    ["if(inputs.n > 3, 'big', 'small')", 'big'], ["if(inputs.n > 9, 'big', 'small')", 'small'], ["if(inputs.missing, 'yes', 'no')", 'no'],
    ["if([], 'yes', 'no')", 'no'], ["if('0', 'yes', 'no')", 'yes'], ['if(inputs.s, inputs.list, null)', ['a', 'b', 'c']],
    ["if(contains(inputs.list, 'b') && inputs.n == 5, inputs.obj.x, 0)", 1], ['if(false, inputs.missing.deep, 2)', 2],
    ['not_empty(null)', false], ['not_empty(inputs.obj)', true], ['not_empty(keys(inputs.missing))', false], ['not_empty(0)', true], ['not_empty(false)', true],
  ];
  it.each(cases)('%s is %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each([
    ['len(5)', /len\(\): expects a string, list or object, got number/],
    ['len(true)', /got boolean/],
    ["join(inputs.obj, ',')", /join\(\): expects a list, got object/],
    ['join(inputs.list, 1)', /separator must be a string/],
    ['lower(5)', /lower\(\): the argument must be a string, got number/],
    ['upper(inputs.list)', /got array/],
    ["slice(inputs.list, '1')", /start must be a whole number/],
    ['slice(inputs.list, 1.5)', /start must be a whole number/],
    ['slice(inputs.list, 0, null)', /end must be a whole number/],
    ['slice(inputs.obj, 0)', /expects a list or string, got object/],
    ['keys(inputs.list)', /keys\(\): expects an object, got array/],
    // Not lazy: the branch not chosen is evaluated too.
    ["if(true, 1, 1 / 0)", /division by zero|divide/i],
  ])('%s is an EXPRESSION_EVAL error', (source, words) => {
    expect(() => run(source)).toThrow(expect.objectContaining({ code: 'EXPRESSION_EVAL', message: expect.stringMatching(words) }));
  });

  it('reports cyclic data in toJSON as EXPRESSION_EVAL', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => evaluateExpression(parseExpression('toJSON(inputs.c)'), { ...scope, inputs: { c: cyclic } })).toThrow(
      expect.objectContaining({ code: 'EXPRESSION_EVAL', fields: expect.objectContaining({ function: 'toJSON', offset: 0 }) }),
    );
  });

  it('reports cyclic data in contains as EXPRESSION_EVAL instead of overflowing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const other: Record<string, unknown> = {};
    other.self = other;
    const s = { ...scope, inputs: { list: [cyclic], other } };
    expect(() => evaluateExpression(parseExpression('contains(inputs.list, inputs.other)'), s)).toThrow(
      expect.objectContaining({ code: 'EXPRESSION_EVAL', message: expect.stringMatching(/nested more than 100 levels/) }),
    );
  });
});

describe('list functions for pipelines (issue 8)', () => {
  const cases: [string, unknown][] = [
    ['flatten([[1, 2], [3], 4, []])', [1, 2, 3, 4]], ['flatten([[1, [2]], [3]])', [1, [2], 3]], ['flatten([[1, [2]], [3]], 2)', [1, 2, 3]],
    ['flatten(inputs.missing)', []], ['flatten(null)', []],
    ['concat([1], [2, 3], 4, null)', [1, 2, 3, 4]], ['concat(inputs.list)', ['a', 'b', 'c']],
    ['range(3)', [0, 1, 2]], ['range(2, 5)', [2, 3, 4]], ['range(0)', []], ['range(5, 2)', []],
    ["unique([1, 2, 1, '1', 2])", [1, 2, '1']], ['unique([inputs.objs[0], inputs.objs[1], inputs.objs[0]])', [{ a: 1 }, { b: 2 }]], ['unique(null)', []],
    ["pluck(inputs.objs, 'a')", [1, null]], ["pluck([], 'a')", []], ["pluck(null, 'a')", []],
    ["flatten(pluck(inputs.nested, 't'))", [1, 2, 3]],
  ];
  it.each(cases)('%s', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('refuses what is not a list, and ranges over the limit', () => {
    expect(() => run("flatten('x')")).toThrow(/flatten\(\): expects a list, got string/);
    expect(() => run("pluck(inputs.obj, 'x')")).toThrow(/pluck\(\): expects a list/);
    expect(() => run('range(1000000)')).toThrow(/more than the limit/);
    expect(() => run('range(1.5)')).toThrow(/whole number/);
  });
});
