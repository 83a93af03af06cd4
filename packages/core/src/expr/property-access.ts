/**
 * The only way expressions read data. Only own data properties are visible: `__proto__`, `constructor`,
 * `prototype` and every inherited member read as missing, and getters are never called, so an expression
 * cannot reach a function, let alone call one. `.length` works on strings and lists.
 */
export function readKey(target: unknown, key: string): unknown {
  if (target === null || target === undefined) return undefined;
  if (typeof target === 'string') return key === 'length' ? target.length : undefined;
  if (Array.isArray(target) && key === 'length') return target.length;
  if (typeof target !== 'object') return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  return descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
}

/** `a[n]`: the n-th element of a list or character of a string; an object's key `String(n)`. */
export function readIndex(target: unknown, index: number): unknown {
  if (!Number.isInteger(index) || index < 0) return undefined;
  if (typeof target === 'string') return index < target.length ? target[index] : undefined;
  return readKey(target, String(index));
}
