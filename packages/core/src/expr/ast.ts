/**
 * The expression language inside `${{ }}`: paths into inputs, steps.<id>.output, item, state and declared
 * env; literals; comparisons; && || !; `.length`; and a few named functions (expr/functions.ts).
 * It is parsed into this AST and interpreted; nothing is ever handed to JavaScript's evaluator, and data
 * coming from a step is a value in the scope, never parsed again.
 */
export type ExprNode =
  | { kind: 'literal'; value: string | number | boolean | null; start: number }
  | { kind: 'path'; root: PathRoot; segments: PathSegment[]; start: number }
  | { kind: 'unary'; op: '!' | '-'; operand: ExprNode; start: number }
  | { kind: 'binary'; op: BinaryOp; left: ExprNode; right: ExprNode; start: number }
  | { kind: 'call'; name: string; args: ExprNode[]; start: number }
  | { kind: 'array'; items: ExprNode[]; start: number };

export type PathRoot = 'inputs' | 'steps' | 'item' | 'index' | 'state' | 'env';
export type PathSegment = { kind: 'key'; name: string } | { kind: 'index'; expr: ExprNode };
export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '+' | '-' | '*' | '/' | '%';

/** A value as written in YAML where strings may contain `${{ }}`, split once at compile time. */
export type Template =
  | { kind: 'literal'; value: unknown }
  /** The whole string is one expression: its value keeps its type (a list stays a list). */
  | { kind: 'expr'; source: string; expr: ExprNode }
  /** Text with expressions inside: the result is a string. */
  | { kind: 'interpolation'; parts: ({ text: string } | { source: string; expr: ExprNode })[] }
  | { kind: 'array'; items: Template[] }
  | { kind: 'object'; entries: [string, Template][] };

/** A reference found in an expression, for dependency and existence checks. */
export interface ExprReference {
  root: PathRoot;
  /** First key after the root: the step id, input name, state key or env var; absent for `item`. */
  name?: string;
  /** For steps: the key after the step id (normally `output`). */
  member?: string;
  /** Offset of the reference in the expression source. */
  start: number;
}

/** What expressions can read at run time. */
export interface ExpressionScope {
  inputs: Readonly<Record<string, unknown>>;
  steps: Readonly<Record<string, { output: unknown; status: string }>>;
  state: Readonly<Record<string, unknown>>;
  env: Readonly<Record<string, string | undefined>>;
  item?: unknown;
  index?: number;
}
