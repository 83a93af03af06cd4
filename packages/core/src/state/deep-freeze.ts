/**
 * Freezes a value and everything reachable from it, so that snapshots handed to agents cannot be changed
 * behind the store's back. Values are plain data (they went through structuredClone), so there are no
 * cycles to guard against other than shared references, which `Object.isFrozen` skips.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (value instanceof Map) {
    for (const [k, v] of value) {
      deepFreeze(k);
      deepFreeze(v);
    }
  } else if (value instanceof Set) {
    for (const v of value) deepFreeze(v);
  } else if (Array.isArray(value)) {
    // By index: Reflect.ownKeys would build a string per element of a long list.
    for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  } else {
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}
