/**
 * A hand-written recursive-descent parser for the `${{ }}` language.
 *
 * Why not a library: no small, well-kept safe expression library fits. The compiler needs the tree itself (to
 * extract references structurally, with offsets, and to report syntax errors at an exact offset), the
 * language must never reach JavaScript evaluation, and property reads must be restricted to own data.
 * jsep parses full JavaScript expressions (we would have to strip its grammar back and still write the
 * evaluator); filtrex compiles user expressions to JavaScript functions; expr-eval resolved names through
 * prototypes and has a prototype-pollution advisory that leads to code execution (GHSA-8gw3-rxh4-v6jx).
 * A grammar this small costs a few hundred lines, and we audit only our own sandbox.
 *
 * Grammar, lowest precedence first (all binary operators are left-associative):
 *   or      := and ('||' and)*
 *   and     := eq ('&&' eq)*
 *   eq      := rel (('==' | '!=') rel)*
 *   rel     := add (('<' | '<=' | '>' | '>=') add)*
 *   add     := mul (('+' | '-') mul)*
 *   mul     := unary (('*' | '/' | '%') unary)*
 *   unary   := ('!' | '-') unary | postfix
 *   postfix := primary ('.' name | '[' or ']')*
 *   primary := number | string | true | false | null | root | name '(' args? ')' | '(' or ')' | '[' items? ']'
 *   root    := inputs | steps | item | index | state | env | iteration | previous | source | output
 */
import type { BinaryOp, ExprNode, PathRoot, PathSegment } from './ast.ts';
import { EXPRESSION_FUNCTIONS, FUNCTION_NAMES } from './functions.ts';
import { tokenize } from './lexer.ts';
import { MAX_EXPRESSION_BYTES, MAX_EXPRESSION_DEPTH } from './limits.ts';
import { expressionSyntaxError } from './syntax-error.ts';
import type { Punctuator, Token } from './token.ts';

/** Binding strength of each binary operator; higher binds tighter. */
export const BINARY_PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  '||': 1,
  '&&': 2,
  '==': 3, '!=': 3,
  '<': 4, '<=': 4, '>': 4, '>=': 4,
  '+': 5, '-': 5,
  '*': 6, '/': 6, '%': 6,
};

export const PATH_ROOTS: readonly PathRoot[] = ['inputs', 'steps', 'item', 'index', 'state', 'env', 'iteration', 'previous', 'source', 'output'];
const ROOTS: ReadonlySet<string> = new Set(PATH_ROOTS);
const KEYWORDS: ReadonlyMap<string, boolean | null> = new Map([['true', true], ['false', false], ['null', null]]);
const utf8 = new TextEncoder();

/**
 * Parses the text of one expression (what goes between `${{` and `}}`) into a tree.
 *
 * @throws UcopError `EXPRESSION_SYNTAX` with `fields: { offset, source }` for any syntax error, a source over
 *   4 KiB or nesting deeper than 64; `UNKNOWN_FUNCTION` (same fields plus `name`) for a call to a function
 *   that is not in `FUNCTION_NAMES`.
 * @example parseExpression("steps.outline.output.sections.length > 0")
 */
export function parseExpression(source: string): ExprNode {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short sources skip the encoding.
  const mayBeTooLong = source.length * 3 > MAX_EXPRESSION_BYTES;
  if (mayBeTooLong && (source.length > MAX_EXPRESSION_BYTES || utf8.encode(source).length > MAX_EXPRESSION_BYTES)) {
    throw expressionSyntaxError(
      source,
      0,
      `Expression is longer than ${MAX_EXPRESSION_BYTES} bytes; move the logic into a step or split it`,
    );
  }
  return new Parser(source).parseAll();
}

class Parser {
  readonly #source: string;
  readonly #tokens: Token[];
  #pos = 0;
  #depth = 0;

  constructor(source: string) {
    this.#source = source;
    this.#tokens = tokenize(source);
  }

  parseAll(): ExprNode {
    if (this.#peek().kind === 'eof') {
      throw this.#error(0, 'Empty expression: write something between ${{ and }}, e.g. ${{ inputs.name }}');
    }
    const node = this.#parseBinary(1);
    const next = this.#peek();
    if (next.kind !== 'eof') {
      throw this.#error(next.start, `Unexpected ${describe(next)} after a complete expression: add an operator or remove it`);
    }
    return node;
  }

  #parseBinary(minPrecedence: number): ExprNode {
    let left = this.#parseUnary();
    for (;;) {
      const token = this.#peek();
      if (token.kind !== 'punct' || !Object.hasOwn(BINARY_PRECEDENCE, token.value)) return left;
      const op = token.value as BinaryOp;
      const precedence = BINARY_PRECEDENCE[op];
      if (precedence < minPrecedence) return left;
      this.#pos += 1;
      const right = this.#parseBinary(precedence + 1);
      left = { kind: 'binary', op, left, right, start: left.start };
    }
  }

  #parseUnary(): ExprNode {
    const token = this.#peek();
    if (token.kind === 'punct' && (token.value === '!' || token.value === '-')) {
      this.#pos += 1;
      const operand = this.#nested(token.start, () => this.#parseUnary());
      return { kind: 'unary', op: token.value, operand, start: token.start };
    }
    return this.#parsePostfix();
  }

  #parsePostfix(): ExprNode {
    // Only a bare root name grows into a path; `(inputs.a).b` keeps its parentheses as a member node.
    const startsWithName = this.#peek().kind === 'identifier';
    const primary = this.#parsePrimary();
    const segments: PathSegment[] = [];
    for (;;) {
      const token = this.#peek();
      if (this.#eat('.')) {
        const name = this.#peek();
        if (name.kind !== 'identifier') {
          throw this.#error(name.start, `Expected a key name after '.', found ${describe(name)}; use ['key'] for keys that are not names`);
        }
        this.#pos += 1;
        segments.push({ kind: 'key', name: name.value });
      } else if (this.#eat('[')) {
        const index = this.#nested(token.start, () => this.#parseBinary(1));
        this.#expect(']', "to close the index started with '['", token.start);
        segments.push(index.kind === 'literal' && typeof index.value === 'string'
          ? { kind: 'key', name: index.value }
          : { kind: 'index', expr: index });
      } else if (token.kind === 'punct' && token.value === '(') {
        throw this.#error(token.start, `Only named functions can be called (${FUNCTION_NAMES.join(', ')})`);
      } else {
        break;
      }
    }
    if (primary.kind === 'path' && startsWithName) {
      const path: ExprNode = { ...primary, segments };
      this.#checkStaticName(path);
      return path;
    }
    return segments.length === 0 ? primary : { kind: 'member', object: primary, segments, start: primary.start };
  }

  // The compiler reads step dependencies and declared env variables from the tree, so these two roots must
  // name their key literally.
  #checkStaticName(path: Extract<ExprNode, { kind: 'path' }>): void {
    if (path.root !== 'steps' && path.root !== 'env') return;
    if (path.segments[0]?.kind === 'key') return;
    const example = path.root === 'steps' ? "steps.<step_id>.output (or steps['step-id'].output)" : 'env.NAME';
    throw this.#error(path.start, `'${path.root}' must be followed by a literal name, as in ${example}`);
  }

  #parsePrimary(): ExprNode {
    const token = this.#peek();
    switch (token.kind) {
      case 'number':
      case 'string':
        this.#pos += 1;
        return { kind: 'literal', value: token.value, start: token.start };
      case 'identifier':
        return this.#parseName(token);
      case 'punct':
        if (token.value === '(') {
          this.#pos += 1;
          const inner = this.#nested(token.start, () => this.#parseBinary(1));
          this.#expect(')', "to close the '('", token.start);
          return inner;
        }
        if (token.value === '[') {
          this.#pos += 1;
          const items = this.#nested(token.start, () => this.#parseList(']'));
          return { kind: 'array', items, start: token.start };
        }
        break;
      case 'eof':
        break;
    }
    throw this.#error(
      token.start,
      `Expected a value (a literal, a path such as inputs.name, '(' or a function call), found ${describe(token)}`,
    );
  }

  #parseName(token: Extract<Token, { kind: 'identifier' }>): ExprNode {
    this.#pos += 1;
    const name = token.value;
    if (this.#eat('(')) {
      const fn = EXPRESSION_FUNCTIONS.get(name);
      if (fn === undefined) {
        throw expressionSyntaxError(
          this.#source,
          token.start,
          `Unknown function '${name}': use one of ${FUNCTION_NAMES.join(', ')}`,
          'UNKNOWN_FUNCTION',
          { name },
        );
      }
      const args = this.#nested(token.start, () => this.#parseList(')'));
      if (args.length < fn.minArgs || args.length > fn.maxArgs) {
        const expected = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
        throw this.#error(token.start, `${name}() takes ${expected} argument(s), got ${args.length}: ${fn.signature}`);
      }
      return { kind: 'call', name, args, start: token.start };
    }
    const keyword = KEYWORDS.get(name);
    if (keyword !== undefined) return { kind: 'literal', value: keyword, start: token.start };
    if (ROOTS.has(name)) return { kind: 'path', root: name as PathRoot, segments: [], start: token.start };
    throw this.#error(
      token.start,
      `Unknown name '${name}': a path starts with ${PATH_ROOTS.join(', ')} (e.g. inputs.${name}); strings need quotes`,
    );
  }

  /** Comma-separated expressions up to `close` (already past the opening bracket). */
  #parseList(close: ')' | ']'): ExprNode[] {
    const items: ExprNode[] = [];
    const open = this.#tokens[this.#pos - 1]?.start ?? 0;
    if (this.#eat(close)) return items;
    for (;;) {
      items.push(this.#parseBinary(1));
      if (this.#eat(close)) return items;
      if (!this.#eat(',')) {
        const token = this.#peek();
        throw this.#error(token.start, `Expected ',' or '${close}' in the list started at offset ${open}, found ${describe(token)}`);
      }
    }
  }

  #nested<T>(offset: number, parse: () => T): T {
    if (this.#depth >= MAX_EXPRESSION_DEPTH) {
      throw this.#error(offset, `Expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep; simplify it`);
    }
    this.#depth += 1;
    try {
      return parse();
    } finally {
      this.#depth -= 1;
    }
  }

  #peek(): Token {
    // The token list always ends with eof and the parser never moves past it.
    return this.#tokens[this.#pos] as Token;
  }

  #eat(value: Punctuator): boolean {
    const token = this.#peek();
    if (token.kind === 'punct' && token.value === value) {
      this.#pos += 1;
      return true;
    }
    return false;
  }

  #expect(value: Punctuator, why: string, openedAt: number): void {
    if (this.#eat(value)) return;
    const token = this.#peek();
    throw this.#error(token.start, `Expected '${value}' ${why} at offset ${openedAt}, found ${describe(token)}`);
  }

  #error(offset: number, message: string) {
    return expressionSyntaxError(this.#source, offset, message);
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'the end of the expression';
    case 'string':
      return `the string ${JSON.stringify(token.value)}`;
    case 'number':
      return `the number ${token.value}`;
    default:
      return `'${token.value}'`;
  }
}
