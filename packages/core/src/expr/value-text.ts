import { UcopError } from '../errors/index.ts';

/**
 * How a value becomes text inside an interpolated string (`"Hello ${{ inputs.name }}"`), in `join()` and in
 * `+` with a string: strings as they are, numbers and booleans via String, null and missing values as '',
 * lists and objects as compact JSON.
 */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return toJsonText(value);
}

/** Compact JSON; a missing value is `null`. Cyclic data is an EXPRESSION_EVAL error, not a TypeError. */
export function toJsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (cause) {
    throw new UcopError('EXPRESSION_EVAL', 'Value cannot be written as JSON (it is cyclic or holds a BigInt)', { cause });
  }
}
