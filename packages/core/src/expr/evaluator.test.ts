import { describe, expect, it } from 'vitest';
import { UcopError, isUcopError } from '../errors/index.ts';
import type { ExprNode, ExpressionScope } from './ast.ts';
import { evaluateExpression } from './evaluator.ts';
import { parseExpression } from './parser.ts';
import { isTruthy } from './truthiness.ts';

const scope: ExpressionScope = {
  inputs: { name: 'Ada', count: 3, zero: 0, empty: '', list: ['a', 'b', 'c'], nested: { deep: { value: 42 } }, nothing: null },
  steps: {
    outline: { output: { sections: [{ title: 'Intro' }, { title: 'Body' }], blocks: [] }, status: 'succeeded' },
    'my-step': { output: 'dashed', status: 'succeeded' },
  },
  state: { title: 'Hello', flags: ['x'] },
  env: { REGION: 'eu' },
  item: { title: 'Current' },
  index: 2,
};

const run = (source: string, s: ExpressionScope = scope): unknown => evaluateExpression(parseExpression(source), s);

function evalError(source: string, s: ExpressionScope = scope): UcopError {
  try {
    run(source, s);
  } catch (error) {
    if (isUcopError(error)) return error;
    throw error;
  }
  throw new Error(`expected ${source} to fail`);
}

describe('evaluateExpression: paths', () => {
  it('reads every root', () => {
    expect(run('inputs.name')).toBe('Ada');
    expect(run('steps.outline.output.sections[1].title')).toBe('Body');
    expect(run('steps.outline.status')).toBe('succeeded');
    expect(run("steps['my-step'].output")).toBe('dashed');
    expect(run('state.title')).toBe('Hello');
    expect(run('env.REGION')).toBe('eu');
    expect(run('item.title')).toBe('Current');
    expect(run('index')).toBe(2);
    expect(run('inputs')).toBe(scope.inputs);
  });

  it('gives undefined for missing paths, at any depth, without an error', () => {
    expect(run('inputs.nope')).toBeUndefined();
    expect(run('inputs.nope.deeper.still')).toBeUndefined();
    expect(run('inputs.nothing.x')).toBeUndefined();
    expect(run('inputs.count.x')).toBeUndefined();
    expect(run('steps.unknown.output')).toBeUndefined();
    expect(run('inputs.list[10]')).toBeUndefined();
    expect(run('inputs.list[-1]')).toBeUndefined();
    expect(run('inputs.list[1.5]')).toBeUndefined();
    expect(run('inputs.list[true]')).toBeUndefined();
    expect(run('env.UNDECLARED')).toBeUndefined();
    expect(run('item', { ...scope, item: undefined })).toBeUndefined();
  });

  it('indexes lists, strings and objects, with computed indexes', () => {
    expect(run('inputs.list[0]')).toBe('a');
    expect(run('inputs.list[index]')).toBe('c');
    expect(run('inputs.list[index - 1]')).toBe('b');
    expect(run('inputs.name[1]')).toBe('d');
    expect(run("inputs.nested['deep'].value")).toBe(42);
    expect(run("inputs.nested['de' + 'ep']['value']")).toBe(42);
    expect(run('[10, 20, 30][1]')).toBe(20);
    expect(run('keys(inputs.nested)[0]')).toBe('deep');
    expect(run('(inputs.nested).deep.value')).toBe(42);
    expect(run('(inputs.missing || inputs.list)[0]')).toBeUndefined();
  });

  it('supports .length on strings and lists only (objects read an own key)', () => {
    expect(run('inputs.name.length')).toBe(3);
    expect(run('inputs.list.length')).toBe(3);
    expect(run('steps.outline.output.blocks.length > 0')).toBe(false);
    expect(run('inputs.nested.length')).toBeUndefined();
    expect(run('inputs.count.length')).toBeUndefined();
    expect(run('inputs.obj.length', { ...scope, inputs: { obj: { length: 7 } } })).toBe(7);
  });
});

describe('evaluateExpression: prototype keys and code execution', () => {
  const forbidden = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

  it.each(forbidden)('%s is a missing key on objects, lists, strings and numbers', (key) => {
    expect(run(`inputs.${key}`)).toBeUndefined();
    expect(run(`inputs['${key}']`)).toBeUndefined();
    expect(run(`inputs.list.${key}`)).toBeUndefined();
    expect(run(`inputs.name.${key}`)).toBeUndefined();
    expect(run(`inputs.count.${key}`)).toBeUndefined();
    expect(run(`steps.outline.${key}`)).toBeUndefined();
    expect(run(`steps['${key}']`)).toBeUndefined();
    expect(run(`'abc'['${key}']`)).toBeUndefined();
    expect(run(`[1]['${key}']`)).toBeUndefined();
    expect(run(`inputs.${key}.${key}`)).toBeUndefined();
  });

  it('reads a key named like a prototype member only when the data really has it as its own', () => {
    const data = JSON.parse('{"__proto__": "own", "constructor": {"name": "mine"}}') as Record<string, unknown>;
    expect(run('inputs.x.__proto__', { ...scope, inputs: { x: data } })).toBe('own');
    expect(run('inputs.x.constructor.name', { ...scope, inputs: { x: data } })).toBe('mine');
  });

  it('never calls getters found in the data', () => {
    let called = false;
    const tricky = Object.defineProperty({}, 'secret', { enumerable: true, get: () => ((called = true), 'leaked') });
    expect(run('inputs.x.secret', { ...scope, inputs: { x: tricky } })).toBeUndefined();
    expect(called).toBe(false);
  });

  it('cannot reach a function value even if one is in the scope, nor call it', () => {
    const withFunction = { ...scope, inputs: { fn: () => 'ran' } };
    expect(run('inputs.fn.name', withFunction)).toBeUndefined();
    expect(() => parseExpression('inputs.fn()')).toThrow(UcopError);
  });

  it('treats strings that look like code as data', () => {
    const payload = "constructor.constructor('return process')()";
    const withPayload = { ...scope, inputs: { payload } };
    expect(run('inputs.payload', withPayload)).toBe(payload);
    expect(run("inputs.payload + ''", withPayload)).toBe(payload);
    expect(run('inputs[inputs.payload]', withPayload)).toBeUndefined();
  });

  it('contains no call to eval or the Function constructor in its sources', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const dir = new URL('.', import.meta.url);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = await readFile(new URL(file, dir), 'utf8');
      expect(text, file).not.toMatch(/\beval\s*\(|new\s+Function\b|\bFunction\s*\(|\bimport\s*\(/);
    }
  });
});

describe('evaluateExpression: operators', () => {
  it.each([
    ['1 == 1', true], ['1 == 2', false], ["'a' == 'a'", true],
    ["1 == '1'", false], ["1 != '1'", true], ['true == 1', false], ['true != 1', true],
    ['null == null', true], ['inputs.missing == null', true], ['inputs.nothing == inputs.missing', true],
    ['inputs.missing != null', false], ['0 == null', false], ["'' == null", false],
    ['[1, [2]] == [1, [2]]', true], ['[1, 2] == [2, 1]', false], ['[1] == 1', false],
    ['inputs.nested == inputs.nested', true], ['steps.outline.output.sections[0] == item', false],
    ['1 < 2', true], ['2 <= 2', true], ['3 > 2', true], ['2 >= 3', false],
    ["'apple' < 'banana'", true], ["'b' >= 'a'", true],
    ["1 < '2'", false], ["1 > '0'", false], ['null < 1', false], ['inputs.missing > 0', false], ['[1] < [2]', false],
    ['true && true', true], ['true && 0', false], ["'x' || false", true], ['0 || null', false],
    ['!true', false], ['!0', true], ['!inputs.empty', true], ['![]', true], ['!!inputs.list', true],
    ['1 + 2', 3], ['5 - 7', -2], ['3 * 4', 12], ['7 / 2', 3.5], ['7 % 4', 3], ['-inputs.count', -3],
    ["'a' + 'b'", 'ab'], ["'n=' + 3", 'n=3'], ["1 + 'x'", '1x'], ["'v' + true", 'vtrue'],
    ["'v' + null", 'v'], ["'v' + inputs.missing", 'v'], ["'v' + [1, 2]", 'v[1,2]'],
    ['inputs.count * 2 + 1 > 6 && state.title == "Hello"', true],
  ] as const)('%s is %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('returns booleans from && and ||, never an operand', () => {
    expect(run("'text' && [1]")).toBe(true);
    expect(run("'' || 'fallback'")).toBe(true);
  });

  it('short-circuits && and || (the right side is not evaluated)', () => {
    expect(run('false && 1 / 0 == 1')).toBe(false);
    expect(run('true || 1 / 0 == 1')).toBe(true);
    expect(() => run('true && 1 / 0 == 1')).toThrow(UcopError);
  });

  it.each([
    ["1 - 'a'", /'-' needs two numbers/],
    ['inputs.missing + 1', /default\(x, 0\)/],
    ['[1] + [2]', /'\+' needs two numbers or a string/],
    ["-'x'", /Unary '-' needs a number/],
    ['1 / 0', /Division by zero/],
    ['1 % 0', /Division by zero/],
    ['1e308 * 10', /too large/],
  ])('%s is an EXPRESSION_EVAL error', (source, words) => {
    const error = evalError(source);
    expect(error.code).toBe('EXPRESSION_EVAL');
    expect(error.message).toMatch(words);
    expect(typeof error.fields.offset).toBe('number');
  });

  it('points the error at the failing node', () => {
    expect(evalError('inputs.count + (inputs.name - 1)').fields.offset).toBe(16);
    expect(evalError("inputs.count + slice(inputs.list, 'a')").fields).toMatchObject({ offset: 15, function: 'slice' });
  });

  it('evaluates long flat chains', () => {
    expect(run(Array.from({ length: 1000 }, () => '1').join(' + '))).toBe(1000);
  });

  it('turns a stack overflow from a hand-built tree into EXPRESSION_EVAL', () => {
    let node: ExprNode = { kind: 'literal', value: true, start: 0 };
    for (let i = 0; i < 200_000; i += 1) node = { kind: 'unary', op: '!', operand: node, start: 0 };
    expect(() => evaluateExpression(node, scope)).toThrow(expect.objectContaining({ code: 'EXPRESSION_EVAL' }));
  });

  it('refuses a hand-built call to an unknown function', () => {
    const node: ExprNode = { kind: 'call', name: 'constructor', args: [], start: 0 };
    expect(() => evaluateExpression(node, scope)).toThrow(expect.objectContaining({ code: 'UNKNOWN_FUNCTION' }));
  });
});

describe('isTruthy', () => {
  it.each([false, null, undefined, 0, Number.NaN, '', [], {}])('%j is falsy', (value) => {
    expect(isTruthy(value)).toBe(false);
  });
  it.each([true, 1, -1, 'false', '0', ' ', [0], { a: undefined }])('%j is truthy', (value) => {
    expect(isTruthy(value)).toBe(true);
  });
});
