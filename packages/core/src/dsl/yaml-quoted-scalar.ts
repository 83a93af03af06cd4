/**
 * Single-line quoted scalars for the subset parser (yaml-subset-parser.ts), decoded as `yaml` decodes them
 * (`compose/resolve-flow-scalar.js`). Anything this reader does not handle exactly (a string that goes on
 * past the end of its line, an escape that `yaml` reports as an error) gives `undefined`, and the file
 * goes to the full parser.
 */

/** A quoted scalar's value and the index just after its closing quote. */
export interface QuotedScalar {
  value: string;
  end: number;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};
const HEX_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };
const HEX = /^[0-9a-fA-F]+$/;

/**
 * Reads the quoted scalar that opens at `start` (a `'` or `"`) and closes before `lineEnd`.
 * @returns undefined when it does not close on its line or holds an escape `yaml` refuses.
 */
export function readQuotedScalar(src: string, start: number, lineEnd: number): QuotedScalar | undefined {
  return src.charCodeAt(start) === 0x27 ? readSingleQuoted(src, start, lineEnd) : readDoubleQuoted(src, start, lineEnd);
}

function readSingleQuoted(src: string, start: number, lineEnd: number): QuotedScalar | undefined {
  let value = '';
  let from = start + 1;
  for (let i = from; ; ) {
    const quote = src.indexOf("'", i);
    if (quote < 0 || quote >= lineEnd) return undefined;
    if (src.charCodeAt(quote + 1) !== 0x27) return { value: value + src.slice(from, quote), end: quote + 1 };
    // `''` is one quote.
    value += src.slice(from, quote + 1);
    i = from = quote + 2;
  }
}

function readDoubleQuoted(src: string, start: number, lineEnd: number): QuotedScalar | undefined {
  let value = '';
  let from = start + 1;
  for (let i = from; i < lineEnd; i++) {
    const code = src.charCodeAt(i);
    if (code === 0x22) return { value: value + src.slice(from, i), end: i + 1 };
    if (code !== 0x5c) continue;
    value += src.slice(from, i);
    const next = src[i + 1];
    if (next === undefined || i + 1 >= lineEnd) return undefined; // an escaped line break: a multi-line string
    const simple = ESCAPES[next];
    if (simple !== undefined) {
      value += simple;
      i += 1;
    } else {
      const length = HEX_LENGTH[next];
      if (length === undefined) return undefined;
      const hex = src.slice(i + 2, i + 2 + length);
      if (hex.length !== length || i + 2 + length > lineEnd || !HEX.test(hex)) return undefined;
      const codePoint = parseInt(hex, 16);
      if (codePoint > 0x10ffff) return undefined;
      value += String.fromCodePoint(codePoint);
      i += 1 + length;
    }
    from = i + 1;
  }
  return undefined;
}
