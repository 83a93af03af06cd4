import { expressionSyntaxError } from './syntax-error.ts';
import type { Punctuator, Token } from './token.ts';

const TWO_CHAR: ReadonlySet<string> = new Set(['==', '!=', '<=', '>=', '&&', '||']);
const STARTS_TWO_CHAR: ReadonlySet<string> = new Set(['=', '!', '<', '>', '&', '|']);
const ONE_CHAR: ReadonlySet<string> = new Set(['<', '>', '!', '+', '-', '*', '/', '%', '.', '[', ']', '(', ')', ',']);

// The JSON escapes plus \' so that both quote styles can contain their own quote.
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\\', '\\'], ["'", "'"], ['"', '"'], ['/', '/'],
  ['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t'],
]);

// Characters that look like operators from other languages: say what to write instead.
const MISTAKES: ReadonlyMap<string, string> = new Map([
  ['=', "use '==' to compare ('=' is not an operator)"],
  ['&', "use '&&' for 'and'"],
  ['|', "use '||' for 'or'"],
  ['$', "'${{' cannot be nested inside an expression"],
  ['{', 'object literals are not supported; build objects in YAML instead'],
  ['}', "unexpected '}' (an expression ends at '}}')"],
  ['`', 'template literals are not supported; use + or join()'],
  ['?', "the conditional operator is not supported; use default(x, fallback) or && / ||"],
]);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isIdentPart = (c: string | undefined): boolean => isIdentStart(c) || isDigit(c);

/** Splits an expression source into tokens, ending with one `eof` token. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
    } else if (isDigit(c)) {
      i = readNumber(source, i, tokens);
    } else if (c === '"' || c === "'") {
      i = readString(source, i, tokens);
    } else if (isIdentStart(c)) {
      let end = i + 1;
      while (isIdentPart(source[end])) end += 1;
      tokens.push({ kind: 'identifier', value: source.slice(i, end), start: i, end });
      i = end;
    } else if (STARTS_TWO_CHAR.has(c) && TWO_CHAR.has(source.slice(i, i + 2))) {
      tokens.push({ kind: 'punct', value: source.slice(i, i + 2) as Punctuator, start: i, end: i + 2 });
      i += 2;
    } else if (ONE_CHAR.has(c)) {
      tokens.push({ kind: 'punct', value: c as Punctuator, start: i, end: i + 1 });
      i += 1;
    } else {
      const hint = MISTAKES.get(c) ?? 'expected a path, a literal, an operator or a function call';
      throw expressionSyntaxError(source, i, `Unexpected character ${JSON.stringify(c)}: ${hint}`);
    }
  }
  tokens.push({ kind: 'eof', start: source.length, end: source.length });
  return tokens;
}

// JSON number syntax without the sign (unary minus is an operator): 12, 1.5, 2e10, 3.0E-2.
function readNumber(source: string, start: number, tokens: Token[]): number {
  let i = start;
  while (isDigit(source[i])) i += 1;
  if (source[i] === '.' && isDigit(source[i + 1])) {
    i += 1;
    while (isDigit(source[i])) i += 1;
  }
  if (source[i] === 'e' || source[i] === 'E') {
    let j = i + 1;
    if (source[j] === '+' || source[j] === '-') j += 1;
    if (!isDigit(source[j])) {
      throw expressionSyntaxError(source, i, 'Malformed number: an exponent needs digits, as in 1e3');
    }
    while (isDigit(source[j])) j += 1;
    i = j;
  }
  if (isIdentStart(source[i])) {
    throw expressionSyntaxError(source, i, 'A number cannot be followed directly by a letter');
  }
  const value = Number(source.slice(start, i));
  if (!Number.isFinite(value)) {
    throw expressionSyntaxError(source, start, 'Number is too large to represent');
  }
  tokens.push({ kind: 'number', value, start, end: i });
  return i;
}

function readString(source: string, start: number, tokens: Token[]): number {
  const quote = source[start];
  let value = '';
  let i = start + 1;
  for (;;) {
    const c = source[i];
    if (c === undefined) {
      throw expressionSyntaxError(source, start, `Unterminated string: add the closing ${quote}`);
    }
    if (c === quote) break;
    if (c !== '\\') {
      value += c;
      i += 1;
      continue;
    }
    const e = source[i + 1];
    const simple = e === undefined ? undefined : ESCAPES.get(e);
    if (simple !== undefined) {
      value += simple;
      i += 2;
    } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      throw expressionSyntaxError(
        source,
        i,
        'Unknown escape in string: use \\\\ \\\' \\" \\/ \\b \\f \\n \\r \\t or \\uXXXX',
      );
    }
  }
  tokens.push({ kind: 'string', value, start, end: i + 1 });
  return i + 1;
}
