import type { Diagnostic } from '../errors/diagnostic.ts';
import { ownSchemaValidator } from '../dsl/json-schema-ajv.ts';
import { CONFIG_SCHEMA_CODES, schemaDiagnostics } from '../dsl/schema-diagnostics.ts';
import type { JsonSchema, SourceMap } from '../dsl/workflow-document.ts';
import { dropEmptySections } from '../dsl/workflow-normalize.ts';
import { loadYaml } from '../dsl/yaml-loader.ts';
import type { YamlLimits } from '../dsl/yaml-limits.ts';

/** A configuration file read and checked against its schema. */
export interface CheckedConfigYaml {
  /**
   * The file's value, an empty file being an empty map and sections with nothing under them left out;
   * `undefined` when the file could not be read as YAML (then `diagnostics` says why).
   */
  value: unknown;
  /** Positions in the file, for the checks the schema cannot express. */
  sourceMap: SourceMap;
  /** YAML problems (and then nothing else was checked), or schema problems as CONFIG_INVALID / CONFIG_UNKNOWN_KEY. */
  diagnostics: Diagnostic[];
}

/**
 * Reads a configuration file (config/main.yaml, a providers file) the way workflows are read: the safe YAML
 * loader with its limits (size, depth, aliases, `%YAML 1.1`, duplicate and `__proto__` keys), then the
 * file's JSON Schema, each problem at its line and column, unknown keys with a "did you mean".
 */
export function checkConfigYaml(source: string, file: string, schema: JsonSchema, limits?: Partial<YamlLimits>): CheckedConfigYaml {
  const loaded = loadYaml(source, file, limits);
  if (loaded.diagnostics.length > 0) return { value: undefined, sourceMap: loaded.sourceMap, diagnostics: loaded.diagnostics };
  const value = dropEmptySections(loaded.value);
  const validate = ownSchemaValidator(schema);
  const diagnostics = validate(value) ? [] : schemaDiagnostics(validate.errors ?? [], value, loaded.sourceMap, CONFIG_SCHEMA_CODES);
  return { value, sourceMap: loaded.sourceMap, diagnostics };
}
