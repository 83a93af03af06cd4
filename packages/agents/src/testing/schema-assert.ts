import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema } from '@ucop/core';

// Strict on purpose: a typo in a built-in agent's schema is a bug, and core compiles plugin schemas leniently.
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const cache = new WeakMap<object, ReturnType<typeof ajv.compile>>();

/** Compiles a schema strictly (throws on an invalid schema) and validates `value`; returns the error text, '' when valid. */
export function schemaErrors(schema: JsonSchema, value: unknown): string {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  return validate(value) ? '' : ajv.errorsText(validate.errors);
}
