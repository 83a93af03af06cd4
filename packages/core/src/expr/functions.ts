import { UcopError } from '../errors/index.ts';
import { valuesEqual } from './equality.ts';
import { isEmpty, isTruthy } from './truthiness.ts';
import { valueKind } from './value-kind.ts';
import { toJsonText, toText } from './value-text.ts';

/** One named function of the expression language. Functions receive evaluated values and return data. */
export interface ExpressionFunction {
  /** How it is called, for documentation and error messages, e.g. `slice(list_or_string, start, end?)`. */
  signature: string;
  description: string;
  minArgs: number;
  maxArgs: number;
  call(args: readonly unknown[]): unknown;
}

function fail(name: string, message: string): never {
  throw new UcopError('EXPRESSION_EVAL', `${name}(): ${message}`, { fields: { function: name } });
}

function expectString(name: string, value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  return fail(name, `${what} must be a string, got ${valueKind(value)}`);
}

function expectInteger(name: string, value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  return fail(name, `${what} must be a whole number, got ${valueKind(value)} ${toText(value)}`.trimEnd());
}

// String case functions accept a missing value as '' so that lower(inputs.optional) needs no default().
function caseOf(name: string, value: unknown, convert: (s: string) => string): string {
  if (value === null || value === undefined) return '';
  return convert(expectString(name, value, 'the argument'));
}

const MAX_RANGE = 100_000;

/** A list argument: null or missing is []. */
function flattenList(name: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value as unknown[];
  if (value === null || value === undefined) return [];
  return fail(name, `expects a list, got ${valueKind(value)}`);
}

/**
 * The function table. A Map (not an object literal) so that names such as `constructor` or `toString` can
 * never resolve to something inherited from Object.prototype.
 */
export const EXPRESSION_FUNCTIONS: ReadonlyMap<string, ExpressionFunction> = new Map<string, ExpressionFunction>([
  ['len', {
    signature: 'len(x)',
    description: 'Length of a string or list, number of keys of an object; 0 for null or a missing value.',
    minArgs: 1, maxArgs: 1,
    call: ([x]) => {
      if (typeof x === 'string' || Array.isArray(x)) return x.length;
      if (x === null || x === undefined) return 0;
      if (valueKind(x) === 'object') return Object.keys(x as object).length;
      return fail('len', `expects a string, list or object, got ${valueKind(x)}`);
    },
  }],
  ['contains', {
    signature: 'contains(list_or_string, x)',
    description: 'Whether a list has an element equal to x (== semantics), or a string contains the string x. False for anything else.',
    minArgs: 2, maxArgs: 2,
    call: ([haystack, needle]) => {
      if (typeof haystack === 'string') return typeof needle === 'string' && haystack.includes(needle);
      if (Array.isArray(haystack)) return haystack.some((item) => valuesEqual(item, needle));
      return false;
    },
  }],
  ['startsWith', {
    signature: 'startsWith(s, prefix)',
    description: 'Whether the string s starts with prefix; false when either is not a string.',
    minArgs: 2, maxArgs: 2,
    call: ([s, p]) => typeof s === 'string' && typeof p === 'string' && s.startsWith(p),
  }],
  ['endsWith', {
    signature: 'endsWith(s, suffix)',
    description: 'Whether the string s ends with suffix; false when either is not a string.',
    minArgs: 2, maxArgs: 2,
    call: ([s, p]) => typeof s === 'string' && typeof p === 'string' && s.endsWith(p),
  }],
  ['join', {
    signature: "join(list, separator = ',')",
    description: 'The elements of a list as text (same rules as interpolation), separated by separator. A string is returned as is; null or missing gives "".',
    minArgs: 1, maxArgs: 2,
    call: ([list, sep]) => {
      const separator = sep === undefined ? ',' : expectString('join', sep, 'the separator');
      if (Array.isArray(list)) return list.map(toText).join(separator);
      if (typeof list === 'string') return list;
      if (list === null || list === undefined) return '';
      return fail('join', `expects a list, got ${valueKind(list)}`);
    },
  }],
  ['default', {
    signature: 'default(x, fallback)',
    description: 'x, unless it is null or missing: then fallback.',
    minArgs: 2, maxArgs: 2,
    call: ([x, fallback]) => (x === null || x === undefined ? fallback : x),
  }],
  // `&&` and `||` give booleans, so choosing a value needs a function. Both branches are evaluated before the
  // call (arguments are values, as for every function): a branch that fails to evaluate fails the call even
  // when not chosen; a missing property is not such a failure.
  ['if', {
    signature: 'if(condition, then, else)',
    description: 'then when condition is truthy (as in if:), else otherwise. Both branches are evaluated first: an error in either (e.g. division by zero) fails the call.',
    minArgs: 3, maxArgs: 3,
    call: ([condition, then, otherwise]) => (isTruthy(condition) ? then : otherwise),
  }],
  ['lower', {
    signature: 'lower(s)',
    description: 'The string in lower case; null or missing gives "".',
    minArgs: 1, maxArgs: 1,
    call: ([s]) => caseOf('lower', s, (t) => t.toLowerCase()),
  }],
  ['upper', {
    signature: 'upper(s)',
    description: 'The string in upper case; null or missing gives "".',
    minArgs: 1, maxArgs: 1,
    call: ([s]) => caseOf('upper', s, (t) => t.toUpperCase()),
  }],
  ['slice', {
    signature: 'slice(list_or_string, start, end?)',
    description: 'Part of a list or string from start up to (not including) end; negative positions count from the end. Null or missing gives null.',
    minArgs: 2, maxArgs: 3,
    call: ([x, start, end]) => {
      const from = expectInteger('slice', start, 'start');
      const to = end === undefined ? undefined : expectInteger('slice', end, 'end');
      if (typeof x === 'string' || Array.isArray(x)) return x.slice(from, to);
      if (x === null || x === undefined) return null;
      return fail('slice', `expects a list or string, got ${valueKind(x)}`);
    },
  }],
  ['keys', {
    signature: 'keys(obj)',
    description: "The object's own keys, in insertion order; [] for null or a missing value.",
    minArgs: 1, maxArgs: 1,
    call: ([x]) => {
      if (x === null || x === undefined) return [];
      if (valueKind(x) === 'object') return Object.keys(x as object);
      return fail('keys', `expects an object, got ${valueKind(x)}`);
    },
  }],
  ['toJSON', {
    signature: 'toJSON(x)',
    description: 'x as compact JSON text; a missing value gives "null".',
    minArgs: 1, maxArgs: 1,
    call: ([x]) => toJsonText(x),
  }],
  ['not_empty', {
    signature: 'not_empty(x)',
    description: 'False for null, a missing value, "", [] and {}; true otherwise (0 and false are not empty).',
    minArgs: 1, maxArgs: 1,
    call: ([x]) => !isEmpty(x),
  }],
  ['flatten', {
    signature: 'flatten(list, depth = 1)',
    description: 'The list with its list elements spliced in, depth levels deep; non-list elements are kept; null or missing gives [].',
    minArgs: 1, maxArgs: 2,
    call: ([list, depth]) => {
      const levels = depth === undefined ? 1 : expectInteger('flatten', depth, 'depth');
      if (levels < 0) fail('flatten', `depth must be 0 or more, got ${levels}`);
      return flattenList('flatten', list).flat(levels) as unknown[];
    },
  }],
  ['concat', {
    signature: 'concat(a, b, ...)',
    description: 'The lists joined in order; a non-list argument counts as a one-element list, null or missing as [].',
    minArgs: 1, maxArgs: 64,
    call: (args) => {
      const out: unknown[] = [];
      for (const a of args) {
        if (Array.isArray(a)) out.push(...(a as unknown[]));
        else if (a !== null && a !== undefined) out.push(a);
      }
      return out;
    },
  }],
  ['range', {
    signature: 'range(n), range(start, end)',
    description: 'The integers from 0 (or start) up to, not including, n (or end); at most 100,000 of them.',
    minArgs: 1, maxArgs: 2,
    call: ([a, b]) => {
      const start = b === undefined ? 0 : expectInteger('range', a, 'start');
      const end = expectInteger('range', b === undefined ? a : b, b === undefined ? 'n' : 'end');
      const n = Math.max(0, end - start);
      if (n > MAX_RANGE) fail('range', `would give ${n} numbers, more than the limit of ${MAX_RANGE}`);
      return Array.from({ length: n }, (_, i) => start + i);
    },
  }],
  ['unique', {
    signature: 'unique(list)',
    description: 'The list without repeated elements (== semantics: objects compare by content), first occurrence kept.',
    minArgs: 1, maxArgs: 1,
    call: ([list]) => {
      const out: unknown[] = [];
      const seen = new Set<unknown>();
      for (const x of flattenList('unique', list)) {
        // Scalars through a Set (O(1)); lists and objects by content.
        if (x === null || typeof x !== 'object') {
          if (seen.has(x)) continue;
          seen.add(x);
        } else if (out.some((y) => valuesEqual(x, y))) continue;
        out.push(x);
      }
      return out;
    },
  }],
  ['pluck', {
    signature: "pluck(list, 'field')",
    description: 'The field of each element (null where an element has none).',
    minArgs: 2, maxArgs: 2,
    call: ([list, field]) => {
      const name = expectString('pluck', field, 'the field');
      return flattenList('pluck', list).map((x) => (x !== null && typeof x === 'object' && !Array.isArray(x) && Object.hasOwn(x, name) ? (x as Record<string, unknown>)[name] : null));
    },
  }],
]);

/** The names of every function an expression may call. */
export const FUNCTION_NAMES: readonly string[] = Object.freeze([...EXPRESSION_FUNCTIONS.keys()]);
