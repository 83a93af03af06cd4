import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUcopError } from '../errors/index.ts';
import type { BinaryOp, ExprNode, ExpressionScope, PathRoot, PathSegment } from './ast.ts';
import { evaluateExpression } from './evaluator.ts';
import { EXPRESSION_FUNCTIONS } from './functions.ts';
import { parseExpression } from './parser.ts';
import { printExpression } from './printer.ts';
import { parseTemplate } from './template.ts';
import { renderTemplate } from './template-render.ts';

/** The tree without positions: printing changes offsets, never structure. */
function withoutPositions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutPositions);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'start').map(([k, v]) => [k, withoutPositions(v)]));
}

const ROOTS: PathRoot[] = ['inputs', 'steps', 'item', 'index', 'state', 'env'];
const OPS: BinaryOp[] = ['==', '!=', '<', '<=', '>', '>=', '&&', '||', '+', '-', '*', '/', '%'];
const FUNCTIONS = [...EXPRESSION_FUNCTIONS.entries()];

const keyName = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/),
  fc.constantFrom('length', '__proto__', 'constructor', 'true', 'null', 'my-step', ''),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
// Negative numbers do not exist as literals: `-1` is unary minus applied to 1.
const number = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e300, noNaN: true })).filter((n) => !Object.is(n, -0));
const literal = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  number,
  fc.boolean(),
  fc.constant(null),
).map((value): ExprNode => ({ kind: 'literal', value, start: 0 }));

const { expr } = fc.letrec<{ expr: ExprNode; segment: PathSegment }>((tie) => {
  const sub = tie('expr');
  return {
    segment: fc.oneof(
      keyName.map((name): PathSegment => ({ kind: 'key', name })),
      // A string-literal index is stored as a key, so an index segment holds anything but a string literal.
      sub.filter((e) => !(e.kind === 'literal' && typeof e.value === 'string')).map((e): PathSegment => ({ kind: 'index', expr: e })),
    ),
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      literal,
      fc
        .tuple(fc.constantFrom(...ROOTS), keyName, fc.array(tie('segment'), { maxLength: 3 }))
        .map(([root, first, rest]): ExprNode => ({
          kind: 'path',
          root,
          segments: root === 'steps' || root === 'env' ? [{ kind: 'key', name: first }, ...rest] : rest,
          start: 0,
        })),
      fc.tuple(fc.constantFrom<'!' | '-'>('!', '-'), sub).map(([op, operand]): ExprNode => ({ kind: 'unary', op, operand, start: 0 })),
      fc.tuple(fc.constantFrom(...OPS), sub, sub).map(([op, left, right]): ExprNode => ({ kind: 'binary', op, left, right, start: 0 })),
      fc
        .tuple(fc.constantFrom(...FUNCTIONS), fc.array(sub, { maxLength: 3 }))
        .map(([[name, fn], args]): ExprNode => {
          const padded = [...args];
          while (padded.length < fn.minArgs) padded.push({ kind: 'literal', value: 1, start: 0 });
          return { kind: 'call', name, args: padded.slice(0, fn.maxArgs), start: 0 };
        }),
      fc.array(sub, { maxLength: 3 }).map((items): ExprNode => ({ kind: 'array', items, start: 0 })),
      fc
        .tuple(sub, fc.array(tie('segment'), { minLength: 1, maxLength: 2 }))
        .map(([object, segments]): ExprNode => ({ kind: 'member', object, segments, start: 0 })),
    ),
  };
});

const scope: ExpressionScope = {
  inputs: { a: 1, s: 'text', list: [1, 'two', null], obj: { k: [true] } },
  steps: { s1: { output: { n: 2, items: ['x'] }, status: 'succeeded' } },
  state: { total: 3 },
  env: { NAME: 'v' },
  item: { title: 't' },
  index: 0,
};

// Fragments of the language and its near misses, so random text often gets deep into the parser.
const fragment = fc.constantFrom(
  'inputs', 'steps', 'item', 'index', 'state', 'env', 'a', 's1', 'output', 'len', 'contains', 'slice', 'toJSON', 'constructor',
  '__proto__', 'true', 'null', '.', '[', ']', '(', ')', ',', "'", '"', '\\', '1', '2.5', '1e', '0', ' ', '+', '-', '*', '/',
  '%', '!', '==', '!=', '<', '>=', '&&', '||', '=', '&', '${{', '}}', '$', '{', '}', '\n', 'é', '\u{1F600}',
);
const codeLike = fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join(''));

function onlyUcopErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!isUcopError(error)) throw error;
  }
}

describe('expression properties', () => {
  it('printing a random tree and parsing it back gives the same tree', () => {
    fc.assert(
      fc.property(expr, (tree) => {
        const printed = printExpression(tree);
        expect(withoutPositions(parseExpression(printed))).toEqual(withoutPositions(tree));
        expect(printExpression(parseExpression(printed))).toBe(printed);
      }),
      { numRuns: 500 },
    );
  });

  it('evaluating a random tree returns a value or throws a UcopError, nothing else', () => {
    fc.assert(fc.property(expr, (tree) => onlyUcopErrors(() => evaluateExpression(tree, scope))), { numRuns: 500 });
  });

  it('random text never throws anything but a UcopError, through parse, template and evaluation', () => {
    fc.assert(
      fc.property(fc.oneof(codeLike, fc.string({ unit: 'binary' })), (text) => {
        onlyUcopErrors(() => evaluateExpression(parseExpression(text), scope));
        onlyUcopErrors(() => renderTemplate(parseTemplate({ v: text, w: [`x \${{ ${text} }} y`] }), scope));
      }),
      { numRuns: 2000 },
    );
  });

  it('a string that holds no ${{ renders to itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }).filter((s) => !s.includes('${{')), (text) => {
        expect(renderTemplate(parseTemplate(text), scope)).toBe(text);
      }),
    );
  });
});
