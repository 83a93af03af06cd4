import type { CheckContext } from './check-context.ts';
import { reporter } from './check-context.ts';
import { agentSchemaValidator } from './json-schema-ajv.ts';
import type { JsonSchema } from './workflow-document.ts';

/** SCHEMA_INVALID: an input's `default` must be a value of the input's own type. */
export function checkInputDefaults(ctx: CheckContext): void {
  const r = reporter(ctx);
  for (const [name, spec] of Object.entries(ctx.doc.inputs)) {
    if (spec.default === undefined) continue;
    const schema: JsonSchema = { type: spec.type };
    if (spec.items) schema.items = spec.items;
    if (spec.enum) schema.enum = spec.enum;
    const validate = agentSchemaValidator(inputSchemaCache(schema));
    if (validate && !validate(spec.default)) {
      const first = validate.errors?.[0];
      r.at('SCHEMA_INVALID', ['inputs', name, 'default'], `the default of input \`${name}\` ${first?.message ?? 'does not match its type'} (it is declared as ${spec.type})`);
    }
  }
}

// Validators are cached per schema object: equal input specs share one compiled validator.
const specCache = new Map<string, JsonSchema>();
function inputSchemaCache(schema: JsonSchema): JsonSchema {
  const key = JSON.stringify(schema);
  let cached = specCache.get(key);
  if (!cached) {
    cached = schema;
    specCache.set(key, cached);
  }
  return cached;
}
