import { agentSchemaValidator } from '../dsl/json-schema-ajv.ts';
import type { EnvSpec, InputSpec, JsonSchema } from '../dsl/workflow-document.ts';
import { UcopError } from '../errors/ucop-error.ts';

const schemas = new WeakMap<InputSpec, JsonSchema>();

function schemaOf(spec: InputSpec): JsonSchema {
  let schema = schemas.get(spec);
  if (!schema) {
    schema = { type: spec.type };
    if (spec.items) schema.items = spec.items;
    if (spec.enum) schema.enum = spec.enum;
    schemas.set(spec, schema);
  }
  return schema;
}

/**
 * The run's inputs: the given values checked against the workflow's `inputs:`, with defaults applied.
 * Inputs that are not declared are refused too (a typo would otherwise be silently ignored).
 *
 * @throws UcopError INPUT_MISSING (a `required: true` input without default was not given) or INPUT_INVALID
 *   (wrong type, not in `enum`, or not declared), listing every problem at once
 */
export function resolveRunInputs(specs: Readonly<Record<string, InputSpec>>, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const missing: string[] = [];
  const invalid: string[] = [];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(specs, key)) invalid.push(`"${key}" is not an input of this workflow (it declares: ${Object.keys(specs).join(', ') || 'none'})`);
  }
  for (const [key, spec] of Object.entries(specs)) {
    const value = Object.hasOwn(given, key) && given[key] !== undefined ? given[key] : spec.default;
    if (value === undefined) {
      if (spec.required === true) missing.push(key);
      continue;
    }
    const validate = agentSchemaValidator(schemaOf(spec));
    if (validate && !validate(value)) {
      const why = (validate.errors ?? []).map((e) => `${e.instancePath || ''} ${e.message ?? 'is invalid'}`.trim()).join('; ');
      invalid.push(`"${key}" ${why} (declared type: ${spec.type}${spec.enum ? `, one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}` : ''})`);
      continue;
    }
    out[key] = value;
  }
  if (missing.length > 0) {
    throw new UcopError('INPUT_MISSING', `missing required input${missing.length > 1 ? 's' : ''} ${missing.map((k) => `"${k}"`).join(', ')}; give ${missing.map((k) => `-i ${k}=...`).join(' ')}${invalid.length ? `; also: ${invalid.join('; ')}` : ''}`, {
      fields: { inputs: missing },
    });
  }
  if (invalid.length > 0) {
    throw new UcopError('INPUT_INVALID', `invalid input${invalid.length > 1 ? 's' : ''}: ${invalid.join('; ')}`, { fields: { problems: invalid } });
  }
  return out;
}

/**
 * The environment the workflow can read: only the variables declared under `env:`, defaults applied.
 * @throws UcopError INPUT_MISSING when a `required: true` variable without default is not set
 */
export function resolveRunEnv(specs: Readonly<Record<string, EnvSpec>>, env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const value = env[name] ?? spec.default;
    if (value === undefined && spec.required === true) missing.push(name);
    out[name] = value;
  }
  if (missing.length > 0) {
    throw new UcopError('INPUT_MISSING', `missing required environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; set ${missing.length > 1 ? 'them' : 'it'} before running`, {
      fields: { env: missing },
    });
  }
  return out;
}
