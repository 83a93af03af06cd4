import { UcopError, isUcopError } from '../errors/index.ts';
import type { BinaryOp, ExprNode, ExpressionScope, PathRoot, PathSegment } from './ast.ts';
import { valuesEqual } from './equality.ts';
import { EXPRESSION_FUNCTIONS } from './functions.ts';
import { readIndex, readKey } from './property-access.ts';
import { isTruthy } from './truthiness.ts';
import { valueKind } from './value-kind.ts';
import { toText } from './value-text.ts';

/**
 * Computes the value of an expression. The tree is interpreted node by node; nothing is compiled to or run
 * as JavaScript, and values read from the scope are data: a string that looks like `${{ ... }}` stays a string.
 *
 * Semantics:
 * - A path to something that does not exist is `undefined` (missing), not an error: `inputs.nope.deeper`.
 *   Only own data properties are read; `__proto__`, `constructor`, `prototype` are ordinary (missing) keys.
 *   `.length` works on strings and lists. `a[0]` indexes lists and strings; `a['k']` reads a key.
 * - `==` / `!=`: values of different kinds are never equal (so `!=` is true), except that `null` and a
 *   missing value are equal; lists and objects compare by content.
 * - `<`, `<=`, `>`, `>=`: numbers with numbers, strings with strings (by UTF-16 code unit); any other pair
 *   is `false`.
 * - `&&`, `||`, `!` work on truthiness (see `isTruthy`) and always return a boolean; `&&`/`||` short-circuit.
 * - `+` adds two numbers, or concatenates when either side is a string (the other side becomes text as in
 *   interpolation). `-`, `*`, `/`, `%` and unary `-` need numbers. Anything else, a division by zero or a
 *   non-finite result is an `EXPRESSION_EVAL` error.
 *
 * @throws UcopError `EXPRESSION_EVAL` with `fields.offset` (offset of the failing node in the source).
 */
export function evaluateExpression(e: ExprNode, scope: ExpressionScope): unknown {
  try {
    return evaluate(e, scope);
  } catch (error) {
    if (isUcopError(error)) throw error;
    // A hand-built tree deep enough to exhaust the stack, or a getter-free oddity in the data: still one code.
    throw new UcopError('EXPRESSION_EVAL', `Expression could not be evaluated: ${String(error)}`, {
      cause: error,
      fields: { offset: e.start },
    });
  }
}

function evaluate(node: ExprNode, scope: ExpressionScope): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'path':
      return readSegments(rootValue(node.root, scope), node.segments, scope);
    case 'member':
      return readSegments(evaluate(node.object, scope), node.segments, scope);
    case 'array':
      return node.items.map((item) => evaluate(item, scope));
    case 'unary':
      return evaluateUnary(node.op, evaluate(node.operand, scope), node.start);
    case 'binary':
      return evaluateBinary(node, scope);
    case 'call':
      return evaluateCall(node, scope);
  }
}

function rootValue(root: PathRoot, scope: ExpressionScope): unknown {
  switch (root) {
    case 'inputs':
      return scope.inputs;
    case 'steps':
      return scope.steps;
    case 'state':
      return scope.state;
    case 'env':
      return scope.env;
    case 'item':
      return scope.item;
    case 'index':
      return scope.index;
    case 'iteration':
      return scope.iteration;
    case 'previous':
      return scope.previous;
    case 'source':
      return scope.source;
    case 'output':
      return scope.output;
  }
}

function readSegments(start: unknown, segments: readonly PathSegment[], scope: ExpressionScope): unknown {
  let value = start;
  for (const segment of segments) {
    if (segment.kind === 'key') {
      value = readKey(value, segment.name);
      continue;
    }
    const key = evaluate(segment.expr, scope);
    value = typeof key === 'number' ? readIndex(value, key) : typeof key === 'string' ? readKey(value, key) : undefined;
  }
  return value;
}

function evaluateUnary(op: '!' | '-', operand: unknown, offset: number): unknown {
  if (op === '!') return !isTruthy(operand);
  if (typeof operand !== 'number') {
    throw evalError(offset, `Unary '-' needs a number, got ${valueKind(operand)}`);
  }
  return -operand;
}

function evaluateBinary(node: Extract<ExprNode, { kind: 'binary' }>, scope: ExpressionScope): unknown {
  const { op } = node;
  // Short-circuit: the right side of && / || is not evaluated when the left decides.
  if (op === '&&') return isTruthy(evaluate(node.left, scope)) && isTruthy(evaluate(node.right, scope));
  if (op === '||') return isTruthy(evaluate(node.left, scope)) || isTruthy(evaluate(node.right, scope));
  const left = evaluate(node.left, scope);
  const right = evaluate(node.right, scope);
  switch (op) {
    case '==':
      return valuesEqual(left, right);
    case '!=':
      return !valuesEqual(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, left, right);
    default:
      return arithmetic(op, left, right, node.start);
  }
}

function compare(op: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  const comparable =
    (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!comparable) return false;
  const [a, b] = [left as number | string, right as number | string];
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

function arithmetic(op: Exclude<BinaryOp, '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||'>, left: unknown, right: unknown, offset: number): unknown {
  if (op === '+' && (typeof left === 'string' || typeof right === 'string')) return toText(left) + toText(right);
  if (typeof left !== 'number' || typeof right !== 'number') {
    throw evalError(offset, `'${op}' needs two numbers${op === '+' ? ' or a string' : ''}, got ${valueKind(left)} and ${valueKind(right)}; use default(x, 0) for values that may be missing`);
  }
  if ((op === '/' || op === '%') && right === 0) throw evalError(offset, `Division by zero in '${op}'`);
  const result = op === '+' ? left + right : op === '-' ? left - right : op === '*' ? left * right : op === '/' ? left / right : left % right;
  if (!Number.isFinite(result)) throw evalError(offset, `'${op}' gave a number too large to represent`);
  return result;
}

function evaluateCall(node: Extract<ExprNode, { kind: 'call' }>, scope: ExpressionScope): unknown {
  const fn = EXPRESSION_FUNCTIONS.get(node.name);
  if (fn === undefined) {
    // Only reachable with a tree built by hand: the parser refuses unknown functions.
    throw new UcopError('UNKNOWN_FUNCTION', `Unknown function '${node.name}'`, { fields: { offset: node.start, name: node.name } });
  }
  const args = node.args.map((arg) => evaluate(arg, scope));
  try {
    return fn.call(args);
  } catch (error) {
    if (!isUcopError(error)) throw error;
    throw new UcopError(error.code, error.message, { cause: error, fields: { ...error.fields, function: node.name, offset: node.start } });
  }
}

function evalError(offset: number, message: string): UcopError {
  return new UcopError('EXPRESSION_EVAL', message, { fields: { offset } });
}
