import type { DocPath } from './workflow-document.ts';

/**
 * Turns an ajv instance path (JSON Pointer, `/steps/a/needs/0`) into a document path, with array indexes
 * as numbers: the value is walked alongside, so a map key that happens to be `0` stays a string.
 */
export function pointerToPath(pointer: string, root: unknown, prefix: DocPath = []): (string | number)[] {
  const out: (string | number)[] = [...prefix];
  if (pointer === '') return out;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(key);
      out.push(index);
      node = node[index];
    } else {
      out.push(key);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return out;
}

/** `steps.outline.needs[0]`: a document path as people write it. */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}
