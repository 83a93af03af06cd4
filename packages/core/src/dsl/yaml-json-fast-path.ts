import { FORBIDDEN_KEYS } from './yaml-to-value.ts';

/**
 * The JSON fast path of the loader. YAML 1.2 is a superset of JSON, and the largest workflows (tens of
 * thousands of steps) are written by programs, usually as JSON. For such a text the runtime's JSON.parse
 * builds the very value `yaml` would, about ten times faster and without `yaml`'s node tree. It is taken only
 * when the value is exactly what the `yaml` path would accept and produce under the loader's rules; on any
 * doubt the caller falls back to `yaml`, which then also reports every problem with its position.
 *
 * Where JSON.parse and our `yaml` rules part, and how each is caught:
 * - duplicate keys: JSON.parse keeps the last, we refuse them. Counted, see {@link countKeySeparators};
 * - `__proto__`, `constructor`, `prototype` keys: refused by the loader; found in the walk;
 * - nesting deeper than the limit: found in the walk (the flow-depth scan has already run before);
 * - a lone carriage return outside strings: JSON whitespace, but not a YAML line break (`yaml` reads
 *   `{"a":\r1}` as the string "\r1"); found in the scan.
 * Everything else of JSON means the same in YAML 1.2's core schema: strings with every JSON escape
 * (`\/`, `\uXXXX`, surrogate pairs), numbers (both read `-0`, `1e5`, `1.0`, long integers the same way),
 * `true`/`false`/`null`, tabs and CRLF as whitespace, keys of any length (`yaml`'s 1,024-character limit
 * is for implicit plain keys, not quoted flow keys). The equivalence is tested on random JSON values against
 * the `yaml` path (yaml-json-fast-path.test.ts). The size limit is applied by the loader before either path;
 * a file's encoding by the file reader before the loader (invalid UTF-8 refused, a byte-order mark removed);
 * a text that still starts with a byte-order mark is not JSON to JSON.parse, and goes to `yaml`.
 */

/**
 * The value of `source` read as JSON, when the text is a JSON object that the `yaml` path would turn into
 * the same value without a problem; otherwise undefined (the caller then parses with `yaml`).
 */
export function jsonFastPathValue(source: string, maxDepth: number): Record<string, unknown> | undefined {
  if (!startsWithBrace(source)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = countKeys(value, 1, maxDepth);
  if (keys < 0) return undefined;
  const separators = countKeySeparators(source);
  if (separators !== keys) return undefined;
  return value as Record<string, unknown>;
}

function startsWithBrace(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x7b) return true; // {
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return false;
}

/**
 * The number of properties of every object in the value, or -1 when a key is one the loader refuses or the
 * nesting is deeper than `maxDepth` (the top-level map is depth 1, as in yaml-to-value.ts).
 */
function countKeys(value: unknown, depth: number, maxDepth: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > maxDepth) return -1;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const inner = countKeys(item, depth + 1, maxDepth);
      if (inner < 0) return -1;
      count += inner;
    }
    return count;
  }
  for (const key in value) {
    if (FORBIDDEN_KEYS.has(key)) return -1;
    const inner = countKeys((value as Record<string, unknown>)[key], depth + 1, maxDepth);
    if (inner < 0) return -1;
    count += inner + 1;
  }
  return count;
}

/**
 * The number of `:` outside strings in a text that JSON.parse has accepted, or -1 when there is a lone
 * carriage return outside strings.
 *
 * Why this is a check and not a parser: the value comes from JSON.parse alone; this scan builds nothing and
 * decides nothing about the text's meaning. In valid JSON every member of an object is written with exactly
 * one `:` outside strings, so the count equals the number of members written in the text. JSON.parse keeps
 * one property per distinct key of an object, so the count is larger than the value's properties exactly
 * when some object repeats a key: then the `yaml` path runs and reports the duplicate with its position.
 * The scan only has to know where strings start and end (`"`, with `\` escaping the next character), which
 * in text that JSON.parse accepted is unambiguous.
 */
export function countKeySeparators(source: string): number {
  let count = 0;
  const n = source.length;
  for (let i = 0; i < n; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x22) {
      // A string: jump to its closing quote, skipping escaped characters.
      for (i++; i < n; i++) {
        const s = source.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x3a) {
      count++;
    } else if (c === 0x0d && source.charCodeAt(i + 1) !== 0x0a) {
      return -1;
    }
  }
  return count;
}
