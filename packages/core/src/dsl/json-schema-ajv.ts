import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import workflowSchemaJson from '../../schema/workflow.schema.json' with { type: 'json' };
import type { JsonSchema } from './workflow-document.ts';

export type { ErrorObject, ValidateFunction };

// ajv-formats is CommonJS: under Node's ESM loader the default import is the plugin itself, which also
// carries itself as `.default`; the type declarations only describe the latter.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default;

/** The workflow JSON Schema (draft 2020-12), as shipped in packages/core/schema/workflow.schema.json. */
export const WORKFLOW_SCHEMA: Readonly<JsonSchema> = workflowSchemaJson as JsonSchema;
export const WORKFLOW_SCHEMA_ID = 'https://ucop.dev/schema/workflow.schema.json';

let ownAjv: Ajv2020 | undefined;
let lenientAjv: Ajv2020 | undefined;
let workflowValidator: ValidateFunction | undefined;
const agentValidators = new WeakMap<object, ValidateFunction | null>();

/**
 * The ajv instance for ucop's own schemas (strict: a typo in our schema is a bug). `verbose` keeps the
 * failing schema on each error, which the diagnostics use for "did you mean" and descriptions.
 */
export function ownSchemaAjv(): Ajv2020 {
  if (!ownAjv) {
    ownAjv = addFormats(new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true }));
    ownAjv.addSchema(workflowSchemaJson as JsonSchema, WORKFLOW_SCHEMA_ID);
  }
  return ownAjv;
}

/** Validates a whole workflow value against the workflow schema. */
export function workflowSchemaValidator(): ValidateFunction {
  workflowValidator ??= ownSchemaAjv().getSchema(WORKFLOW_SCHEMA_ID)!;
  return workflowValidator;
}

/**
 * A validator for an agent's schema, compiled once per schema object. Agents come from plugins, so their
 * schemas are compiled leniently (unknown keywords allowed); a schema ajv cannot compile yields `undefined`
 * and the check is skipped rather than blaming the workflow for the agent's mistake.
 */
export function agentSchemaValidator(schema: JsonSchema): ValidateFunction | undefined {
  const cached = agentValidators.get(schema);
  if (cached !== undefined) return cached ?? undefined;
  lenientAjv ??= addFormats(new Ajv2020({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true }));
  let compiled: ValidateFunction | null;
  try {
    const { $schema: _ignored, ...rest } = schema;
    compiled = lenientAjv.compile(rest);
  } catch {
    compiled = null;
  }
  agentValidators.set(schema, compiled);
  return compiled ?? undefined;
}
