import type { ExprNode, ExprReference, PathSegment, Template, TemplateReference } from './ast.ts';

/**
 * Every reference (`inputs.x`, `steps.a.output`, `state.k`, `env.NAME`, `item`, `index`) in an expression,
 * read from the tree (never found by a regex), in source order, including those inside function arguments,
 * array literals and index expressions.
 * For `steps.X.Y`, `name` is X and `member` is Y (normally `output`).
 */
// Roots whose first key names something (a step, an input, a state key, a variable).
const NAMED_ROOTS: ReadonlySet<string> = new Set(['inputs', 'steps', 'state', 'env']);

export function expressionReferences(e: ExprNode): ExprReference[] {
  const found: ExprReference[] = [];
  collect(e, found);
  return found.sort((a, b) => a.start - b.start);
}

function collect(node: ExprNode, found: ExprReference[]): void {
  switch (node.kind) {
    case 'literal':
      return;
    case 'path': {
      const reference: ExprReference = { root: node.root, start: node.start };
      const [first, second] = node.segments;
      if (NAMED_ROOTS.has(node.root) && first?.kind === 'key') {
        reference.name = first.name;
        if (node.root === 'steps' && second?.kind === 'key') reference.member = second.name;
      }
      found.push(reference);
      collectSegments(node.segments, found);
      return;
    }
    case 'member':
      collect(node.object, found);
      collectSegments(node.segments, found);
      return;
    case 'unary':
      collect(node.operand, found);
      return;
    case 'binary':
      collect(node.left, found);
      collect(node.right, found);
      return;
    case 'call':
      for (const arg of node.args) collect(arg, found);
      return;
    case 'array':
      for (const item of node.items) collect(item, found);
      return;
  }
}

function collectSegments(segments: readonly PathSegment[], found: ExprReference[]): void {
  for (const segment of segments) if (segment.kind === 'index') collect(segment.expr, found);
}

/**
 * Every reference in a template, with `path` (where in the value the string sits), `offset` (where in that
 * string the reference starts) and `source` (the expression it belongs to).
 */
export function templateReferences(t: Template): TemplateReference[] {
  const found: TemplateReference[] = [];
  walk(t, [], found);
  return found;
}

function walk(t: Template, path: (string | number)[], found: TemplateReference[]): void {
  switch (t.kind) {
    case 'literal':
      return;
    case 'expr':
      addExpression(t.source, t.expr, t.offset ?? 0, path, found);
      return;
    case 'interpolation':
      for (const part of t.parts) {
        if ('expr' in part) addExpression(part.source, part.expr, part.offset ?? 0, path, found);
      }
      return;
    // One path stack for the whole walk; each reference gets its own copy.
    case 'array':
      t.items.forEach((item, i) => {
        path.push(i);
        walk(item, path, found);
        path.pop();
      });
      return;
    case 'object':
      for (const [key, value] of t.entries) {
        path.push(key);
        walk(value, path, found);
        path.pop();
      }
      return;
  }
}

function addExpression(source: string, expr: ExprNode, offset: number, path: (string | number)[], found: TemplateReference[]): void {
  for (const reference of expressionReferences(expr)) {
    found.push({ ...reference, path: [...path], offset: offset + reference.start, source });
  }
}
