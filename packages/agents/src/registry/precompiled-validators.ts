import { loadPrecompiledModule, registerPrecompiledValidators } from '@ucop/core';

let registered = false;

/**
 * Hands core the validators the build compiled for this package's schemas (the built-in agents' inputs and
 * outputs, the providers file), so that validating a workflow or loading the providers file compiles nothing
 * at start-up. Running from sources there are none, and core compiles the schemas when first used.
 */
export function usePrecompiledValidators(): void {
  if (registered) return;
  registered = true;
  const module = loadPrecompiledModule(import.meta.url, '../generated/schema-validators.cjs');
  if (module) registerPrecompiledValidators(module);
}
