import { valueKind } from './value-kind.ts';

/**
 * Whether a value counts as true in `if:`, `!`, `&&` and `||`.
 * False: `false`, `null`, a missing value, `0`, `NaN`, `''`, the empty list `[]` and the empty object `{}`.
 * Everything else is true (including `'false'` and `'0'`, which are non-empty strings).
 */
export function isTruthy(value: unknown): boolean {
  switch (valueKind(value)) {
    case 'missing':
    case 'null':
      return false;
    case 'boolean':
      return value as boolean;
    case 'number':
      return value !== 0 && !Number.isNaN(value);
    case 'string':
      return value !== '';
    case 'array':
      return (value as unknown[]).length > 0;
    case 'object':
      return Object.keys(value as object).length > 0;
    default:
      return true;
  }
}

/** The test behind `not_empty(x)`: missing, null, `''`, `[]` and `{}` are empty; `0` and `false` are not. */
export function isEmpty(value: unknown): boolean {
  switch (valueKind(value)) {
    case 'missing':
    case 'null':
      return true;
    case 'string':
      return value === '';
    case 'array':
      return (value as unknown[]).length === 0;
    case 'object':
      return Object.keys(value as object).length === 0;
    default:
      return false;
  }
}
