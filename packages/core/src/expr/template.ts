import { UcopError, isUcopError } from '../errors/index.ts';
import type { Template, TemplateExpression } from './ast.ts';
import { MAX_TEMPLATE_DEPTH } from './limits.ts';
import { parseExpression } from './parser.ts';
import { isPlainObject } from './value-kind.ts';

const OPEN = '${{';
const CLOSE = '}}';

/**
 * Splits a value as written in YAML into a template, once, at compile time. Arrays and plain objects are
 * walked (object keys are never templated); every string is scanned for `${{ ... }}`:
 * - a string that is exactly one `${{ }}` (surrounding whitespace ignored) becomes `{ kind: 'expr' }`, whose
 *   rendered value keeps its type (a list stays a list);
 * - a string with text around or several expressions becomes `{ kind: 'interpolation' }` (renders to text);
 * - any other string or value stays `{ kind: 'literal' }`.
 * `$${{` writes a literal `${{` (the `$` before it is dropped); `}}` outside an expression is plain text.
 * Inside an expression, `}}` within a quoted string does not end it.
 *
 * @throws UcopError `EXPRESSION_SYNTAX` (or `UNKNOWN_FUNCTION`) with `fields: { offset, path, source,
 *   expression }`: `offset` is in the original string, `path` the keys/indexes leading to it inside `value`,
 *   `source` that string and `expression` the text of the failing expression. A `${{` without its `}}` is
 *   one of these errors.
 * @example parseTemplate({ path: '${{ inputs.source }}', title: 'About ${{ inputs.topic }}' })
 */
export function parseTemplate(value: unknown): Template {
  return parseValue(value, []);
}

/** Whether the template holds at least one expression, i.e. rendering may give something else than the value. */
export function templateHasExpressions(t: Template): boolean {
  switch (t.kind) {
    case 'literal':
      return false;
    case 'expr':
    case 'interpolation':
      return true;
    case 'array':
      return t.items.some(templateHasExpressions);
    case 'object':
      return t.entries.some(([, item]) => templateHasExpressions(item));
  }
}

// `path` is one stack shared by the whole walk (pushed and popped around each child); errors copy it.
function parseValue(value: unknown, path: (string | number)[]): Template {
  if (path.length > MAX_TEMPLATE_DEPTH) {
    throw new UcopError('EXPRESSION_SYNTAX', `Value is nested more than ${MAX_TEMPLATE_DEPTH} levels deep`, {
      fields: { offset: 0, path: [...path] },
    });
  }
  if (typeof value === 'string') return parseString(value, path);
  if (Array.isArray(value)) {
    return { kind: 'array', items: value.map((item, i) => child(item, i, path)) };
  }
  if (isPlainObject(value)) {
    return { kind: 'object', entries: Object.entries(value).map(([key, item]) => [key, child(item, key, path)]) };
  }
  return { kind: 'literal', value };
}

function child(value: unknown, key: string | number, path: (string | number)[]): Template {
  path.push(key);
  try {
    return parseValue(value, path);
  } finally {
    path.pop();
  }
}

function parseString(s: string, path: (string | number)[]): Template {
  const parts: ({ text: string } | TemplateExpression)[] = [];
  let text = '';
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf(OPEN, i);
    if (open < 0) {
      text += s.slice(i);
      break;
    }
    if (open > i && s[open - 1] === '$') {
      // `$${{` is the escape for a literal `${{`.
      text += s.slice(i, open - 1) + OPEN;
      i = open + OPEN.length;
      continue;
    }
    text += s.slice(i, open);
    if (text !== '') parts.push({ text });
    text = '';
    const bodyStart = open + OPEN.length;
    const close = findClose(s, bodyStart, open, path);
    parts.push(parseBody(s, bodyStart, close, path));
    i = close + CLOSE.length;
  }
  if (text !== '') parts.push({ text });

  const expressions = parts.filter((part): part is TemplateExpression => 'expr' in part);
  if (expressions.length === 0) return { kind: 'literal', value: text };
  const [only] = expressions;
  if (expressions.length === 1 && only && parts.every((part) => 'expr' in part || part.text.trim() === '')) {
    return { kind: 'expr', ...only };
  }
  return { kind: 'interpolation', parts };
}

/** Offset of the `}}` that ends the expression starting at `from`; quoted strings are skipped. */
function findClose(s: string, from: number, open: number, path: (string | number)[]): number {
  let i = from;
  while (i < s.length) {
    const c = s[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      if (j >= s.length) {
        throw templateError(s, i, path, `Unterminated string inside \${{ }}: add the closing ${c}`, s.slice(from));
      }
      i = j + 1;
    } else if (s.startsWith(CLOSE, i)) {
      return i;
    } else {
      i += 1;
    }
  }
  throw templateError(s, open, path, "'${{' has no closing '}}': close the expression, or write '$${{' for a literal '${{'", s.slice(from));
}

function parseBody(s: string, bodyStart: number, close: number, path: (string | number)[]): TemplateExpression {
  const raw = s.slice(bodyStart, close);
  const source = raw.trim();
  const offset = bodyStart + (raw.length - raw.trimStart().length);
  try {
    return { source, expr: parseExpression(source), offset };
  } catch (error) {
    if (!isUcopError(error)) throw error;
    const inner = typeof error.fields.offset === 'number' ? error.fields.offset : 0;
    throw new UcopError(error.code, error.message, {
      cause: error,
      fields: { ...error.fields, offset: offset + inner, path: [...path], source: s, expression: source },
    });
  }
}

function templateError(s: string, offset: number, path: (string | number)[], message: string, expression: string): UcopError {
  return new UcopError('EXPRESSION_SYNTAX', `${message} (at offset ${offset} of ${JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s)})`, {
    fields: { offset, path: [...path], source: s, expression },
  });
}
