/**
 * The expression language inside `${{ }}`: paths into inputs, steps.<id>.output, item, index, state and
 * declared env; literals; comparisons; && || !; arithmetic; `.length`; indexing; array literals; and a few
 * named functions (expr/functions.ts).
 * It is parsed into this AST and interpreted; nothing is ever handed to JavaScript's evaluator, and data
 * coming from a step is a value in the scope, never parsed again.
 *
 * Every node carries `start`: its offset in the expression source (the text between `${{` and `}}`, trimmed).
 */
export type ExprNode =
  | { kind: 'literal'; value: string | number | boolean | null; start: number }
  /**
   * A reference: a root name followed by keys and indexes. `steps` and `env` are always followed by a static
   * key (the step id, the variable name), so the compiler can read dependencies from the tree.
   * `x['k']` with a string literal is stored as the key segment `k`.
   */
  | { kind: 'path'; root: PathRoot; segments: PathSegment[]; start: number }
  | { kind: 'unary'; op: '!' | '-'; operand: ExprNode; start: number }
  | { kind: 'binary'; op: BinaryOp; left: ExprNode; right: ExprNode; start: number }
  | { kind: 'call'; name: string; args: ExprNode[]; start: number }
  | { kind: 'array'; items: ExprNode[]; start: number }
  /** Keys and indexes applied to something that is not a path: `keys(inputs)[0]`, `(a || b).length`. */
  | { kind: 'member'; object: ExprNode; segments: PathSegment[]; start: number };

export type ExprNodeKind = ExprNode['kind'];
export type PathRoot = 'inputs' | 'steps' | 'item' | 'index' | 'state' | 'env' | 'iteration' | 'previous' | 'source' | 'output';
export type PathSegment = { kind: 'key'; name: string } | { kind: 'index'; expr: ExprNode };
export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '+' | '-' | '*' | '/' | '%';

/** An expression found in a template string. */
export interface TemplateExpression {
  /** The expression text between `${{` and `}}`, trimmed. Node offsets are relative to it. */
  source: string;
  expr: ExprNode;
  /** Offset of `source` in the original string (always set by `parseTemplate`). */
  offset?: number;
}

/** A value as written in YAML where strings may contain `${{ }}`, split once at compile time. */
export type Template =
  | { kind: 'literal'; value: unknown }
  /** The whole string is one expression: its value keeps its type (a list stays a list). */
  | ({ kind: 'expr' } & TemplateExpression)
  /** Text with expressions inside: the result is a string. */
  | { kind: 'interpolation'; parts: ({ text: string } | TemplateExpression)[] }
  | { kind: 'array'; items: Template[] }
  | { kind: 'object'; entries: [string, Template][] };

/** A reference found in an expression, for dependency and existence checks. */
export interface ExprReference {
  root: PathRoot;
  /**
   * First key after the root: the step id, input name, state key or env var; absent for `item`, `index`,
   * and when the first segment is computed (`inputs[x]`) or missing (`toJSON(inputs)`).
   */
  name?: string;
  /** For steps: the key after the step id (normally `output`); absent when there is none or it is computed. */
  member?: string;
  /** Offset of the reference in the expression source. */
  start: number;
}

/** A reference found in a template: where in the value it sits, and where in the original string. */
export type TemplateReference = ExprReference & {
  /** Keys and indexes leading to the string inside the templated value, e.g. `['with', 'path']`. */
  path: (string | number)[];
  /** Offset of the reference in the original string (`start` is relative to the expression source). */
  offset: number;
  /** The expression source the reference was found in. */
  source: string;
};

/**
 * What expressions can read at run time. Give plain data: property reads see only own data properties
 * (getters, prototype members and Map entries are invisible).
 */
export interface ExpressionScope {
  inputs: Readonly<Record<string, unknown>>;
  steps: Readonly<Record<string, { output: unknown; status: string }>>;
  state: Readonly<Record<string, unknown>>;
  env: Readonly<Record<string, string | undefined>>;
  item?: unknown;
  index?: number;
  /** Inside a `repeat` group: the iteration number, from 1. */
  iteration?: number;
  /** Inside a `repeat` group: the previous iteration's outputs (null in the first). */
  previous?: unknown;
  /** In a follow-up template: the stable id of the instance that created the task. */
  source?: string;
  /** In `follow_up.each`: the creating instance's output. */
  output?: unknown;
}
