import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UcopError, agentSchemaValidator, resolveInside } from '@ucop/core';
import type { JsonSchema } from '@ucop/core';

/**
 * The step's `output_schema`: an inline JSON Schema, or the path of a JSON file relative to the project
 * directory (it may not point outside it). Read synchronously: the validator asks for it while checking a
 * workflow, and schema files are small.
 * @throws UcopError FILE_NOT_FOUND, JSON_INVALID, CONFIG_INVALID (not an object, or not a schema ajv compiles)
 */
export function loadOutputSchema(value: unknown, projectDir: string): JsonSchema {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonSchema;
  if (typeof value !== 'string') throw new UcopError('CONFIG_INVALID', '`output_schema` must be a JSON Schema object or the path of a .json file');
  const path = resolveInside(resolve(projectDir), value);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UcopError('FILE_NOT_FOUND', `output_schema file \`${value}\` not found (looked at ${path})`, { fields: { outputSchema: value, path }, cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UcopError('JSON_INVALID', `output_schema file \`${value}\` is not valid JSON: ${(error as Error).message}`, { fields: { outputSchema: value, path } });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UcopError('CONFIG_INVALID', `output_schema file \`${value}\` must hold a JSON Schema object`, { fields: { outputSchema: value, path } });
  }
  return parsed as JsonSchema;
}

/** Problems of `value` against `schema` (ajv, through core's agent validators), at most `max`; [] when valid. */
export function schemaErrors(schema: JsonSchema, value: unknown, max = 10): string[] {
  const validate = agentSchemaValidator(schema);
  if (!validate) throw new UcopError('CONFIG_INVALID', '`output_schema` is not a JSON Schema that can be compiled', { fields: { schema } });
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, max).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`);
}
