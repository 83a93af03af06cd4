/**
 * The offline provider's answer to a structured request: a deterministic instance of the JSON Schema, built
 * from the schema alone (and a seed from the prompt, so that two items of a fan-out get different strings).
 * Every string it writes starts with `offline`, so an offline answer says what it is wherever it is read.
 *
 * It covers what output schemas use: objects (every listed property), arrays (`minItems`, at least one item,
 * at most `maxItems`), strings (`enum`, `const`, lengths, common formats), numbers within their bounds,
 * booleans, null, `$ref` to `#/$defs/...` or `#/definitions/...`, and the first branch of `anyOf`/`oneOf`.
 * A `pattern` is not solved: such a string fails validation and the step says so (LLM_OUTPUT_INVALID).
 */
type Schema = Record<string, unknown>;

const MAX_DEPTH = 12;

/** A deterministic instance of `schema`; `seed` varies the strings (the prompt's hash, for example). */
export function schemaInstance(schema: Schema, seed: string): unknown {
  return build(schema, schema, seed, 'value', 0);
}

function build(schema: unknown, root: Schema, seed: string, name: string, depth: number): unknown {
  if (depth > MAX_DEPTH || schema === true || schema === undefined) return null;
  if (typeof schema !== 'object' || schema === null) return null;
  const s = schema as Schema;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (typeof s.$ref === 'string') return build(resolveRef(s.$ref, root), root, seed, name, depth + 1);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0) return build(branches[0], root, seed, name, depth + 1);
  }
  if (Array.isArray(s.allOf)) return build(Object.assign({}, ...s.allOf.map((b) => (typeof b === 'object' ? b : {}))), root, seed, name, depth + 1);
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? s.type[0]) : s.type;
  switch (type ?? (s.properties ? 'object' : s.items ? 'array' : 'string')) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      for (const [key, sub] of Object.entries(properties)) out[key] = build(sub, root, seed, key, depth + 1);
      for (const key of Array.isArray(s.required) ? s.required : []) {
        if (typeof key === 'string' && !(key in out)) out[key] = build(s.additionalProperties ?? {}, root, seed, key, depth + 1);
      }
      return out;
    }
    case 'array': {
      const min = typeof s.minItems === 'number' ? s.minItems : 1;
      const count = Math.min(Math.max(min, 1), typeof s.maxItems === 'number' ? s.maxItems : Number.POSITIVE_INFINITY);
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
      return Array.from({ length: count }, (_, i) => build(prefix[i] ?? s.items ?? {}, root, `${seed}.${i}`, `${name} ${i + 1}`, depth + 1));
    }
    case 'string':
      return stringFor(s, seed, name);
    case 'integer':
    case 'number':
      return numberFor(s, type === 'integer');
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return null;
  }
}

function stringFor(s: Schema, seed: string, name: string): string {
  switch (s.format) {
    case 'date-time':
      return '2000-01-01T00:00:00Z';
    case 'date':
      return '2000-01-01';
    case 'uri':
    case 'url':
      return 'https://offline.invalid/';
    case 'email':
      return 'offline@offline.invalid';
    default:
      break;
  }
  let text = `offline ${name} ${hash(seed)}`;
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Number.POSITIVE_INFINITY;
  while (text.length < min) text += ' offline';
  return text.slice(0, Math.max(min, Math.min(max, text.length)));
}

function numberFor(s: Schema, integer: boolean): number {
  let value = 0;
  if (typeof s.minimum === 'number') value = Math.max(value, s.minimum);
  if (typeof s.exclusiveMinimum === 'number') value = Math.max(value, s.exclusiveMinimum + (integer ? 1 : 0.5));
  if (typeof s.maximum === 'number') value = Math.min(value, s.maximum);
  if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) value = s.exclusiveMaximum - (integer ? 1 : 0.5);
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) value = Math.ceil(value / s.multipleOf) * s.multipleOf;
  return integer ? Math.ceil(value) : value;
}

function resolveRef(ref: string, root: Schema): unknown {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return {};
  const defs = root[match[1]!] as Record<string, unknown> | undefined;
  return defs?.[decodeURIComponent(match[2]!).replace(/~1/g, '/').replace(/~0/g, '~')] ?? {};
}

// FNV-1a, 6 hex digits: enough to tell items apart, short enough to read.
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0').slice(0, 6);
}
