import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { JsonSchema } from './workflow-document.ts';

/**
 * Validators compiled at build time: ajv's standalone code for the schemas ucop ships (the workflow schema,
 * the configuration files' schemas, the built-in agents' input and output schemas), written by
 * scripts/precompile-schemas.ts. Compiling them at run time costs ajv a few hundred milliseconds (and loading
 * ajv itself), which every `ucop validate` would otherwise pay at start-up; the standalone code is ajv's own
 * output for the same schemas and options, so both paths report the same errors (a test compares them).
 *
 * A validator is found by the schema's content (its JSON text) and the options it was compiled with, so an
 * agent created anew with the same schema still finds it. Running from sources (tests), there is no build
 * output and every schema is compiled at run time.
 */

/** Which ajv options a validator was compiled with: ucop's own strict ones, or the lenient ones for agents. */
export type ValidatorOptionsKind = 'own' | 'agent';

/** A generated module: validators named `v<N>`, and `keys`, mapping each name to `<kind>:<schema JSON>`. */
export interface PrecompiledModule {
  keys: Readonly<Record<string, string>>;
  [name: string]: unknown;
}

const byKey = new Map<string, ValidateFunction>();
let coreLoaded = false;

/** The lookup key of a schema compiled with one kind of options. */
export function precompiledKey(kind: ValidatorOptionsKind, schema: JsonSchema): string {
  return `${kind}:${JSON.stringify(schema)}`;
}

/**
 * Adds a generated module's validators (a package registers its own, see @ucop/agents). Loading it is the
 * caller's business: a package that was not built has none.
 */
export function registerPrecompiledValidators(module: PrecompiledModule): void {
  for (const [name, key] of Object.entries(module.keys)) {
    const validate = module[name];
    if (typeof validate === 'function') byKey.set(key, validate as ValidateFunction);
  }
}

/**
 * Loads a generated CommonJS module next to the caller's built files, or returns undefined when there is none
 * (running from sources).
 */
export function loadPrecompiledModule(requireFrom: string, file: string): PrecompiledModule | undefined {
  try {
    return createRequire(requireFrom)(file) as PrecompiledModule;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** The build's validator for this schema and options, if there is one. */
export function precompiledValidator(kind: ValidatorOptionsKind, schema: JsonSchema): ValidateFunction | undefined {
  if (!coreLoaded) {
    coreLoaded = true;
    const own = loadPrecompiledModule(import.meta.url, '../generated/schema-validators.cjs');
    if (own) registerPrecompiledValidators(own);
  }
  return byKey.size === 0 ? undefined : byKey.get(precompiledKey(kind, schema));
}
