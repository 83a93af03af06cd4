/**
 * JSON with object keys sorted at every level, so that equal data always gives the same text whatever
 * order its keys were built in: the identity of a `union` member (`{a:1,b:2}` and `{b:2,a:1}` are one
 * member) and the input of run fingerprints. It follows JSON.stringify otherwise (`toJSON` is used, so a
 * Date counts by its time; `undefined` members are dropped), so that a value and its saved copy agree.
 * A bare `undefined`, which JSON cannot spell, is `undefined`, distinct from `null`.
 */
export function canonicalJson(value: unknown): string {
  // Most values (a step's input, a union member) are plain data whose keys are already in order: those are
  // their own sorted copy, and JSON.stringify spells them as it would spell the copy.
  return JSON.stringify(isSorted(value) ? value : sortKeys(value)) ?? 'undefined';
}

/**
 * Whether `value` is what {@link sortKeys} would give back: primitives, and arrays and plain objects (of
 * Object.prototype or none, without `toJSON`) whose own keys are in sorted order and whose members are
 * sorted too. Anything else (a Date, a boxed primitive, a class instance) goes through the copy.
 */
function isSorted(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!isSorted(item)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i += 1) {
    // The order Array.prototype.sort gives strings (by UTF-16 code units), as `<` compares them.
    if (i > 0 && !(keys[i - 1]! < keys[i]!)) return false;
    if (!isSorted((value as Record<string, unknown>)[keys[i]!])) return false;
  }
  return true;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return sortKeys((json as () => unknown).call(value));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}
