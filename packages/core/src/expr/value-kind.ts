/** The kinds of value an expression works with; data is JSON-like, plus `undefined` for "missing". */
export type ValueKind = 'missing' | 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'other';

export function valueKind(value: unknown): ValueKind {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'string':
    case 'object':
      return typeof value as ValueKind;
    default:
      return 'other';
  }
}

/** An object literal as YAML/JSON make them: prototype Object.prototype or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
