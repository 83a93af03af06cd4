/**
 * Whether a value an agent returned can be written to the run record as JSON and read back as the same
 * value. `JSON.stringify` throws on a BigInt and on a cycle (too late: when the record is written, killing
 * the run's record) and silently drops functions and symbols (so resume would read back something else);
 * this walk finds the first such value, with its path, before the result enters the engine.
 */

/** The first part of `value` that JSON cannot carry, as `"<what> at <path>"`; undefined when there is none. */
export function findUnserialisable(value: unknown, root = '$'): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return undefined;
  try {
    return walk(value, root, new Set());
  } catch (error) {
    // A getter that throws, a Proxy that refuses, or nesting deeper than the stack.
    return `a value that cannot be read (${error instanceof Error ? error.message : String(error)}) under ${root}`;
  }
}

function walk(value: unknown, path: string, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return undefined;
    case 'bigint':
      return `a BigInt at ${path}`;
    case 'function':
      return `a function at ${path}`;
    case 'symbol':
      return `a symbol at ${path}`;
  }
  if (value === null) return undefined;
  const object = value as object;
  if (ancestors.has(object)) return `a circular reference at ${path}`;
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') return undefined; // Dates and the like say how they serialise
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i += 1) {
        const problem = walk(object[i], `${path}[${i}]`, ancestors);
        if (problem) return problem;
      }
      return undefined;
    }
    for (const key of Object.keys(object)) {
      const problem = walk((object as Record<string, unknown>)[key], `${path}.${key}`, ancestors);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    ancestors.delete(object);
  }
}
