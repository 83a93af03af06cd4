import { createRequire } from 'node:module';
import type { Ajv2020 as Ajv2020Class, ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020.js';
import type * as Ajv2020Module from 'ajv/dist/2020.js';
import workflowSchemaJson from '../../schema/workflow.schema.json' with { type: 'json' };
import { precompiledValidator } from './precompiled-validators.ts';
import type { JsonSchema } from './workflow-document.ts';

export type { ErrorObject, ValidateFunction };

/** The workflow JSON Schema (draft 2020-12), as shipped in packages/core/schema/workflow.schema.json. */
export const WORKFLOW_SCHEMA: Readonly<JsonSchema> = workflowSchemaJson as JsonSchema;
export const WORKFLOW_SCHEMA_ID = 'https://ucop.dev/schema/workflow.schema.json';

/**
 * Options of the ajv instance for ucop's own schemas (strict: a typo in our schema is a bug). `verbose` keeps
 * the failing schema on each error, which the diagnostics use for "did you mean" and descriptions. The build
 * precompiles the shipped schemas with the same options (scripts/precompile-schemas.ts).
 */
export const OWN_SCHEMA_AJV_OPTIONS = { allErrors: true, verbose: true, allowUnionTypes: true } as const satisfies Options;

/** Options for agents' schemas: they come from plugins, so unknown keywords are allowed. */
export const AGENT_SCHEMA_AJV_OPTIONS = { allErrors: true, verbose: true, strict: false, allowUnionTypes: true } as const satisfies Options;

// ajv and ajv-formats are CommonJS and loaded on first compile, synchronously: with the shipped schemas
// precompiled, most commands never compile one, and loading ajv costs about as much as the rest of core.
const require = createRequire(import.meta.url);
function newAjv(options: Options): Ajv2020Class {
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof Ajv2020Module;
  const addFormats = require('ajv-formats') as (ajv: Ajv2020Class) => Ajv2020Class;
  return addFormats(new Ajv2020(options));
}

let ownAjv: Ajv2020Class | undefined;
let lenientAjv: Ajv2020Class | undefined;
const ownValidators = new WeakMap<object, ValidateFunction>();
const agentValidators = new WeakMap<object, ValidateFunction | null>();

/** The ajv instance for ucop's own schemas, with {@link OWN_SCHEMA_AJV_OPTIONS}, the formats and the workflow schema. */
export function ownSchemaAjv(): Ajv2020Class {
  if (!ownAjv) {
    ownAjv = newAjv({ ...OWN_SCHEMA_AJV_OPTIONS });
    ownAjv.addSchema(workflowSchemaJson as JsonSchema, WORKFLOW_SCHEMA_ID);
  }
  return ownAjv;
}

/**
 * The validator of one of ucop's own schemas (the workflow, the main configuration, the providers file): the
 * build's precompiled one, else compiled now, once per schema object.
 */
export function ownSchemaValidator(schema: JsonSchema): ValidateFunction {
  let validate = ownValidators.get(schema) ?? precompiledValidator('own', schema);
  if (!validate) {
    const id = typeof schema['$id'] === 'string' ? schema['$id'] : undefined;
    const known = id === undefined ? undefined : ownSchemaAjv().getSchema(id);
    validate = known ?? ownSchemaAjv().compile(schema);
  }
  ownValidators.set(schema, validate);
  return validate;
}

/**
 * A validator for an agent's schema: the build's precompiled one for a built-in agent, else compiled once per
 * schema object, leniently (unknown keywords allowed); a schema ajv cannot compile yields `undefined` and the
 * check is skipped rather than blaming the workflow for the agent's mistake.
 */
export function agentSchemaValidator(schema: JsonSchema): ValidateFunction | undefined {
  const cached = agentValidators.get(schema);
  if (cached !== undefined) return cached ?? undefined;
  const { $schema: _ignored, ...rest } = schema;
  let compiled: ValidateFunction | null | undefined = precompiledValidator('agent', rest);
  if (!compiled) {
    lenientAjv ??= newAjv({ ...AGENT_SCHEMA_AJV_OPTIONS });
    try {
      compiled = lenientAjv.compile(rest);
    } catch {
      compiled = null;
    }
  }
  agentValidators.set(schema, compiled);
  return compiled ?? undefined;
}
