import { UcopError } from '../errors/index.ts';
import { valueKind } from './value-kind.ts';

// Step data may be cyclic or absurdly deep; comparing stops here instead of overflowing the stack.
const MAX_COMPARE_DEPTH = 100;

/**
 * `==` of the expression language: values of different kinds are never equal, except that `null` and a
 * missing value are equal to each other; lists and objects compare by content (own keys, any order).
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  return equalAt(a, b, 0);
}

function equalAt(a: unknown, b: unknown, depth: number): boolean {
  if (depth > MAX_COMPARE_DEPTH) {
    throw new UcopError('EXPRESSION_EVAL', `Values are nested more than ${MAX_COMPARE_DEPTH} levels deep; compare smaller parts`);
  }
  const ka = valueKind(a);
  const kb = valueKind(b);
  const nullish = (k: string): boolean => k === 'missing' || k === 'null';
  if (nullish(ka) || nullish(kb)) return nullish(ka) && nullish(kb);
  if (ka !== kb) return false;
  if (ka === 'array') {
    const la = a as unknown[];
    const lb = b as unknown[];
    return la.length === lb.length && la.every((item, i) => equalAt(item, lb[i], depth + 1));
  }
  if (ka === 'object') {
    const oa = a as Record<string, unknown>;
    const ob = b as Record<string, unknown>;
    const keys = Object.keys(oa);
    if (keys.length !== Object.keys(ob).length) return false;
    return keys.every((k) => Object.hasOwn(ob, k) && equalAt(oa[k], ob[k], depth + 1));
  }
  return a === b;
}
