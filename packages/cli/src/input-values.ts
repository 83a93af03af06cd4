import { UcopError } from '@ucop/core';
import type { InputSpec, JsonSchema } from '@ucop/core';

/**
 * Turns `-i key=value` arguments into typed run inputs, by each input's declared type: numbers and booleans
 * are parsed, arrays are comma-separated or JSON, objects are JSON. A value that does not fit, or a key the
 * workflow does not declare, is a usage error (exit 2) that names the input.
 *
 * Repeating an array input appends (`-i tags=a -i tags=b`); repeating any other input is an error rather
 * than a silent "last one wins".
 */
export function parseInputAssignments(assignments: readonly string[], specs: Readonly<Record<string, InputSpec>>): Record<string, unknown> {
  const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new UcopError('USAGE', `-i "${assignment}": expected key=value, for example -i source=article.md`, { fields: { assignment } });
    }
    const key = assignment.slice(0, eq).trim();
    const raw = assignment.slice(eq + 1);
    const spec = Object.hasOwn(specs, key) ? specs[key] : undefined;
    if (!spec) {
      const declared = Object.keys(specs);
      const list = declared.length > 0 ? declared.join(', ') : '(none)';
      throw new UcopError('INPUT_INVALID', `unknown input "${key}"; the workflow declares: ${list}`, { fields: { input: key } });
    }
    const value = parseInputValue(key, raw, spec);
    if (Object.hasOwn(values, key)) {
      if (spec.type !== 'array') {
        throw new UcopError('INPUT_INVALID', `input "${key}" is given twice; give it once`, { fields: { input: key } });
      }
      values[key] = [...(values[key] as unknown[]), ...(value as unknown[])];
    } else {
      values[key] = value;
    }
  }
  return { ...values };
}

/**
 * Checks that every required input without a default was given, so that a forgotten `-i` is reported before
 * anything runs.
 */
export function checkRequiredInputs(values: Readonly<Record<string, unknown>>, specs: Readonly<Record<string, InputSpec>>): void {
  const missing = Object.entries(specs)
    .filter(([key, spec]) => spec.required === true && spec.default === undefined && !Object.hasOwn(values, key))
    .map(([key]) => key);
  if (missing.length > 0) {
    const hint = missing.map((k) => `-i ${k}=...`).join(' ');
    throw new UcopError('INPUT_MISSING', `missing required input${missing.length > 1 ? 's' : ''} ${missing.map((k) => `"${k}"`).join(', ')}; give ${hint}`, {
      fields: { inputs: missing },
    });
  }
}

/** Parses one raw value by its input's declared type. */
export function parseInputValue(key: string, raw: string, spec: InputSpec): unknown {
  const value = parseByType(key, raw, spec.type, spec.items);
  if (spec.enum && !spec.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    throw invalid(key, raw, `one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  return value;
}

function parseByType(key: string, raw: string, type: InputSpec['type'] | string | undefined, items: JsonSchema | undefined): unknown {
  switch (type) {
    case 'number': {
      const n = DECIMAL.test(raw.trim()) ? Number(raw) : Number.NaN;
      if (!Number.isFinite(n)) throw invalid(key, raw, 'a number');
      return n;
    }
    case 'integer': {
      const n = INTEGER.test(raw.trim()) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(n)) throw invalid(key, raw, 'an integer');
      return n;
    }
    case 'boolean':
      return parseBoolean(key, raw);
    case 'array':
      return parseArray(key, raw, items);
    case 'object': {
      const parsed = parseJson(key, raw, 'a JSON object');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid(key, raw, 'a JSON object');
      return parsed;
    }
    default:
      return raw;
  }
}

// Written the way people write numbers: JavaScript's Number() would also take `0x10`, `0b1`, `Infinity` and
// `1e3` for an integer, which on a command line are more likely typos than intent.
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

function parseBoolean(key: string, raw: string): boolean {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw invalid(key, raw, 'a boolean (true/false, yes/no, 1/0)');
}

function parseArray(key: string, raw: string, items: JsonSchema | undefined): unknown[] {
  const trimmed = raw.trim();
  const itemType = typeof items?.['type'] === 'string' ? (items['type'] as string) : undefined;
  if (trimmed.startsWith('[')) {
    const parsed = parseJson(key, raw, 'a JSON array or a comma-separated list');
    if (!Array.isArray(parsed)) throw invalid(key, raw, 'a JSON array or a comma-separated list');
    return parsed.map((item: unknown, index) => checkJsonItem(key, item, index, itemType));
  }
  if (trimmed === '') return [];
  return trimmed.split(',').map((part) => parseByType(key, part.trim(), itemType as InputSpec['type'] | undefined, undefined));
}

function checkJsonItem(key: string, item: unknown, index: number, itemType: string | undefined): unknown {
  const ok =
    itemType === undefined ||
    (itemType === 'string' && typeof item === 'string') ||
    (itemType === 'number' && typeof item === 'number') ||
    (itemType === 'integer' && Number.isInteger(item)) ||
    (itemType === 'boolean' && typeof item === 'boolean') ||
    (itemType === 'object' && typeof item === 'object' && item !== null && !Array.isArray(item)) ||
    (itemType === 'array' && Array.isArray(item));
  if (!ok) {
    throw new UcopError('INPUT_INVALID', `input "${key}": item ${index} must be of type ${itemType}, got ${JSON.stringify(item)}`, {
      fields: { input: key, index },
    });
  }
  return item;
}

function parseJson(key: string, raw: string, expected: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw invalid(key, raw, expected);
  }
}

function invalid(key: string, raw: string, expected: string): UcopError {
  return new UcopError('INPUT_INVALID', `input "${key}" must be ${expected}, got "${raw}"`, { fields: { input: key, value: raw } });
}
