/**
 * Plain (unquoted) scalars resolved the way `yaml`'s core schema resolves them (yaml 2.x,
 * `schema/core/*.js`): the same patterns, tried in the same order (null, bool, octal, decimal and
 * hexadecimal integers, `.inf`/`.nan`, exponent floats, floats), with the same conversions. The subset
 * parser must give exactly the values `parseDocument` gives; the differential tests hold both to that.
 */
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** The value of a plain scalar under the YAML 1.2 core schema: null, a boolean, a number or the string itself. */
export function resolvePlainScalar(raw: string): string | number | boolean | null {
  if (!mayBeNonString(raw.charCodeAt(0))) return raw.length === 0 ? null : raw;
  if (NULL.test(raw)) return null;
  if (BOOL.test(raw)) return raw[0] === 't' || raw[0] === 'T';
  if (INT_OCT.test(raw)) return parseInt(raw.substring(2), 8);
  if (INT.test(raw)) return parseInt(raw, 10);
  if (INT_HEX.test(raw)) return parseInt(raw.substring(2), 16);
  if (FLOAT_NAN.test(raw)) return raw.slice(-3).toLowerCase() === 'nan' ? NaN : raw[0] === '-' ? -Infinity : Infinity;
  if (FLOAT_EXP.test(raw) || FLOAT.test(raw)) return parseFloat(raw);
  return raw;
}

// Every pattern above starts with one of `~ n N t T f F + - .` or a digit: most strings (identifiers,
// prose, expressions) are told apart by their first character without running a regular expression.
function mayBeNonString(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x7e || // ~
    code === 0x6e || // n
    code === 0x4e || // N
    code === 0x74 || // t
    code === 0x54 || // T
    code === 0x66 || // f
    code === 0x46 || // F
    code === 0x2b || // +
    code === 0x2d || // -
    code === 0x2e // .
  );
}
