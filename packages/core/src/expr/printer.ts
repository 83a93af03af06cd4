import type { ExprNode, PathSegment } from './ast.ts';
import { BINARY_PRECEDENCE } from './parser.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Writes a tree back as expression source that parses to the same tree (positions aside), with only the
 * parentheses precedence needs. Used in messages and by the round-trip property test.
 */
export function printExpression(node: ExprNode): string {
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' ? JSON.stringify(node.value) : String(node.value);
    case 'path':
      return node.root + printSegments(node.segments);
    case 'member': {
      const object = printExpression(node.object);
      const bare = node.object.kind === 'call' || node.object.kind === 'array';
      return (bare ? object : `(${object})`) + printSegments(node.segments);
    }
    case 'unary': {
      const operand = printExpression(node.operand);
      return node.op + (node.operand.kind === 'binary' ? `(${operand})` : operand);
    }
    case 'binary': {
      const precedence = BINARY_PRECEDENCE[node.op];
      const left = printExpression(node.left);
      const right = printExpression(node.right);
      // Left-associative: the right operand needs parentheses already at equal precedence.
      const l = node.left.kind === 'binary' && BINARY_PRECEDENCE[node.left.op] < precedence ? `(${left})` : left;
      const r = node.right.kind === 'binary' && BINARY_PRECEDENCE[node.right.op] <= precedence ? `(${right})` : right;
      return `${l} ${node.op} ${r}`;
    }
    case 'call':
      return `${node.name}(${node.args.map(printExpression).join(', ')})`;
    case 'array':
      return `[${node.items.map(printExpression).join(', ')}]`;
  }
}

function printSegments(segments: readonly PathSegment[]): string {
  return segments
    .map((s) => (s.kind === 'index' ? `[${printExpression(s.expr)}]` : NAME.test(s.name) ? `.${s.name}` : `[${JSON.stringify(s.name)}]`))
    .join('');
}
