import { describe, expect, it } from 'vitest';
import { isUcopError } from '../errors/index.ts';
import type { ExprNode } from './ast.ts';
import { MAX_EXPRESSION_BYTES, MAX_EXPRESSION_DEPTH } from './limits.ts';
import { parseExpression } from './parser.ts';
import { printExpression } from './printer.ts';

/** The error parseExpression throws for `source`, or a failed test if it does not throw a UcopError. */
function syntaxError(source: string) {
  try {
    parseExpression(source);
  } catch (error) {
    if (isUcopError(error)) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be refused`);
}

/** Fully parenthesised rendering, to check grouping independently of the printer. */
function shape(node: ExprNode): string {
  switch (node.kind) {
    case 'literal':
      return JSON.stringify(node.value);
    case 'path':
      return node.root + node.segments.map((s) => (s.kind === 'key' ? `.${s.name}` : `[${shape(s.expr)}]`)).join('');
    case 'member':
      return `member(${shape(node.object)})` + node.segments.map((s) => (s.kind === 'key' ? `.${s.name}` : `[${shape(s.expr)}]`)).join('');
    case 'unary':
      return `(${node.op}${shape(node.operand)})`;
    case 'binary':
      return `(${shape(node.left)} ${node.op} ${shape(node.right)})`;
    case 'call':
      return `${node.name}(${node.args.map(shape).join(', ')})`;
    case 'array':
      return `[${node.items.map(shape).join(', ')}]`;
  }
}

describe('parseExpression: node kinds', () => {
  it('parses literals of every type', () => {
    expect(parseExpression('42')).toEqual({ kind: 'literal', value: 42, start: 0 });
    expect(parseExpression('1.5e3')).toMatchObject({ kind: 'literal', value: 1500 });
    expect(parseExpression("'single'")).toMatchObject({ kind: 'literal', value: 'single' });
    expect(parseExpression('"double"')).toMatchObject({ kind: 'literal', value: 'double' });
    expect(parseExpression('true')).toMatchObject({ kind: 'literal', value: true });
    expect(parseExpression('false')).toMatchObject({ kind: 'literal', value: false });
    expect(parseExpression('null')).toMatchObject({ kind: 'literal', value: null });
  });

  it('decodes string escapes, including the other quote and \\u', () => {
    expect(parseExpression(String.raw`'it\'s \"x\" \\ \n\t\u00e9'`)).toMatchObject({ value: 'it\'s "x" \\ \n\té' });
    expect(parseExpression(`"it's"`)).toMatchObject({ value: "it's" });
  });

  it('parses paths from every root, with keys, indexes and string keys', () => {
    for (const root of ['inputs', 'steps', 'item', 'index', 'state', 'env'] as const) {
      const source = root === 'steps' || root === 'env' ? `${root}.x` : root;
      expect(parseExpression(source)).toMatchObject({ kind: 'path', root });
    }
    expect(parseExpression("steps.outline.output.sections[0]['my-title'].length")).toEqual({
      kind: 'path',
      root: 'steps',
      start: 0,
      segments: [
        { kind: 'key', name: 'outline' },
        { kind: 'key', name: 'output' },
        { kind: 'key', name: 'sections' },
        { kind: 'index', expr: { kind: 'literal', value: 0, start: 30 } },
        { kind: 'key', name: 'my-title' },
        { kind: 'key', name: 'length' },
      ],
    });
  });

  it('accepts a step id written as a string key', () => {
    expect(parseExpression("steps['my-step'].output")).toMatchObject({
      segments: [{ kind: 'key', name: 'my-step' }, { kind: 'key', name: 'output' }],
    });
  });

  it('parses computed indexes as index segments', () => {
    const node = parseExpression('item.list[index + 1]');
    expect(shape(node)).toBe('item.list[(index + 1)]');
  });

  it('parses unary, binary, calls, arrays and member access on non-paths', () => {
    expect(parseExpression('!inputs.a')).toMatchObject({ kind: 'unary', op: '!', start: 0 });
    expect(parseExpression('-inputs.a')).toMatchObject({ kind: 'unary', op: '-' });
    expect(parseExpression('inputs.a % 2')).toMatchObject({ kind: 'binary', op: '%' });
    expect(parseExpression("join(inputs.k, ', ')")).toMatchObject({ kind: 'call', name: 'join', start: 0 });
    expect(parseExpression('[1, "a", [true]]')).toMatchObject({ kind: 'array', items: [{ value: 1 }, { value: 'a' }, { kind: 'array' }] });
    expect(parseExpression('[]')).toEqual({ kind: 'array', items: [], start: 0 });
    expect(shape(parseExpression('keys(inputs)[0]'))).toBe('member(keys(inputs))[0]');
    expect(shape(parseExpression('(inputs.a || inputs.b).length'))).toBe('member((inputs.a || inputs.b)).length');
    expect(shape(parseExpression("'abc'.length"))).toBe('member("abc").length');
    expect(shape(parseExpression('(inputs.a)'))).toBe('inputs.a');
    expect(shape(parseExpression('(inputs.a).b[0]'))).toBe('member(inputs.a).b[0]');
    expect(shape(parseExpression('(inputs).a'))).toBe('member(inputs).a');
  });

  it('allows keywords and root names as keys after a dot', () => {
    expect(shape(parseExpression('inputs.null.true.steps'))).toBe('inputs.null.true.steps');
  });
});

describe('parseExpression: precedence and associativity', () => {
  const cases: [string, string][] = [
    ['inputs.a || inputs.b && inputs.c', '(inputs.a || (inputs.b && inputs.c))'],
    ['inputs.a && inputs.b || inputs.c', '((inputs.a && inputs.b) || inputs.c)'],
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['1 * 2 + 3', '((1 * 2) + 3)'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['8 / 4 / 2', '((8 / 4) / 2)'],
    ['7 % 4 * 2', '((7 % 4) * 2)'],
    ['1 + 2 < 4 == true', '(((1 + 2) < 4) == true)'],
    ['inputs.a == 1 && inputs.b != 2', '((inputs.a == 1) && (inputs.b != 2))'],
    ['1 <= 2 != 3 >= 4', '((1 <= 2) != (3 >= 4))'],
    ['!inputs.a && inputs.b', '((!inputs.a) && inputs.b)'],
    ['!inputs.a.b', '(!inputs.a.b)'],
    ['-2 * 3', '((-2) * 3)'],
    ['- -2', '(-(-2))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['len(inputs.a) > 0 || !not_empty(state.x)', '((len(inputs.a) > 0) || (!not_empty(state.x)))'],
  ];
  it.each(cases)('%s', (source, expected) => {
    expect(shape(parseExpression(source))).toBe(expected);
  });

  it('records start offsets of every node', () => {
    const node = parseExpression('  inputs.a + len( [ 1 ] )');
    expect(node).toMatchObject({
      kind: 'binary',
      start: 2,
      left: { kind: 'path', start: 2 },
      right: { kind: 'call', start: 13, args: [{ kind: 'array', start: 18, items: [{ start: 20 }] }] },
    });
  });

  it('ignores whitespace, including newlines', () => {
    expect(shape(parseExpression('\n inputs.a\t&&\r\n inputs.b '))).toBe('(inputs.a && inputs.b)');
  });
});

describe('parseExpression: errors', () => {
  const cases: [source: string, offset: number, words: RegExp][] = [
    ['', 0, /Empty expression/],
    ['   ', 0, /Empty expression/],
    ['inputs.a +', 10, /Expected a value.*end of the expression/],
    ['inputs.a inputs.b', 9, /after a complete expression/],
    ['(inputs.a', 9, /Expected '\)'/],
    ['[1, 2', 5, /Expected ',' or '\]'/],
    ['inputs.a[0', 10, /Expected '\]'/],
    ['inputs.', 7, /key name after '\.'/],
    ['inputs.a = 1', 9, /use '=='/],
    ['inputs.a & 1', 9, /use '&&'/],
    ['inputs.a | 1', 9, /use '\|\|'/],
    ['inputs.a ? 1 : 2', 9, /conditional operator/],
    ['{a: 1}', 0, /object literals/],
    ["'abc", 0, /Unterminated string/],
    ['"a\\qb"', 2, /Unknown escape/],
    ['1e', 1, /exponent/],
    ['12abc', 2, /followed directly by a letter/],
    ['1e999', 0, /too large/],
    ['foo.bar', 0, /Unknown name 'foo'/],
    ['hello', 0, /strings need quotes/],
    ['inputs.a(1)', 8, /Only named functions/],
    ['steps', 0, /'steps' must be followed by a literal name/],
    ['steps[inputs.which].output', 0, /'steps' must be followed/],
    ['env[inputs.name]', 0, /'env' must be followed/],
    ['len()', 0, /len\(\) takes 1 argument/],
    ['slice(inputs.a)', 0, /takes 2 to 3 argument/],
    ['default(1, 2, 3)', 0, /takes 2 argument/],
    ['inputs.a + ${{ inputs.b }}', 11, /cannot be nested/],
    ['1 +\n  )', 6, /Expected a value/],
  ];
  it.each(cases)('%j fails at offset %i', (source, offset, words) => {
    const error = syntaxError(source);
    expect(error.code).toBe('EXPRESSION_SYNTAX');
    expect(error.fields).toMatchObject({ offset, source });
    expect(error.message).toMatch(words);
    expect(error.message).toContain(`offset ${offset}`);
  });

  it('reports an unknown function with its own code, name and offset', () => {
    const error = syntaxError('inputs.a && fetch("http://x")');
    expect(error.code).toBe('UNKNOWN_FUNCTION');
    expect(error.fields).toMatchObject({ offset: 12, name: 'fetch', source: 'inputs.a && fetch("http://x")' });
    expect(error.message).toContain('len, contains');
  });

  it('never resolves function names through Object.prototype', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(syntaxError(`${name}(1)`).code).toBe('UNKNOWN_FUNCTION');
    }
  });

  it('refuses the classic sandbox escape at parse time', () => {
    const error = syntaxError("constructor.constructor('return process')()");
    expect(error.code).toBe('EXPRESSION_SYNTAX');
    expect(error.fields.offset).toBe(0);
  });
});

describe('parseExpression: limits', () => {
  it(`accepts ${MAX_EXPRESSION_BYTES} bytes and refuses one more`, () => {
    const atLimit = `'${'a'.repeat(MAX_EXPRESSION_BYTES - 2)}'`;
    expect(parseExpression(atLimit)).toMatchObject({ kind: 'literal' });
    const error = syntaxError(`'${'a'.repeat(MAX_EXPRESSION_BYTES - 1)}'`);
    expect(error.message).toMatch(/longer than 4096 bytes/);
    expect(error.fields.offset).toBe(0);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const threeBytes = '€';
    const error = syntaxError(`'${threeBytes.repeat(1400)}'`); // 1402 characters, 4202 bytes
    expect(error.message).toMatch(/longer than/);
  });

  it(`accepts nesting ${MAX_EXPRESSION_DEPTH} deep and refuses one more, for every kind of nesting`, () => {
    const n = MAX_EXPRESSION_DEPTH;
    expect(() => parseExpression(`${'('.repeat(n)}1${')'.repeat(n)}`)).not.toThrow();
    for (const source of [
      `${'('.repeat(n + 1)}1${')'.repeat(n + 1)}`,
      `${'['.repeat(n + 1)}${']'.repeat(n + 1)}`,
      `${'!'.repeat(n + 1)}true`,
      `${'len('.repeat(n + 1)}1${')'.repeat(n + 1)}`,
      `inputs${'[inputs'.repeat(n + 1)}${']'.repeat(n + 1)}`,
    ]) {
      const error = syntaxError(source);
      expect(error.message).toMatch(/nested more than 64 levels/);
      expect(error.fields.offset).toBeGreaterThan(0);
    }
  });

  it('keeps long flat chains (not nesting) within the limits', () => {
    const source = Array.from({ length: 1000 }, () => '1').join(' + ');
    expect(printExpression(parseExpression(source))).toBe(source);
  });
});
