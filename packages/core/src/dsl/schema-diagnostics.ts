import type { Diagnostic } from '../errors/diagnostic.ts';
import type { ErrorCode } from '../errors/error-codes.ts';
import type { ErrorObject } from './json-schema-ajv.ts';
import type { DocPath, SourceMap } from './workflow-document.ts';
import { formatPath, pointerToPath } from './json-pointer.ts';
import { didYouMeanHint } from './did-you-mean.ts';
import { renamedKeyHint } from './renamed-keys.ts';

/** Which codes schema errors are reported with: workflow files and configuration files differ. */
export interface SchemaDiagnosticCodes {
  invalid: ErrorCode;
  unknownKey: ErrorCode;
}

export const WORKFLOW_SCHEMA_CODES: SchemaDiagnosticCodes = { invalid: 'SCHEMA_INVALID', unknownKey: 'UNKNOWN_KEY' };
/** The codes of configuration files (config/main.yaml, providers files). */
export const CONFIG_SCHEMA_CODES: SchemaDiagnosticCodes = { invalid: 'CONFIG_INVALID', unknownKey: 'CONFIG_UNKNOWN_KEY' };

/**
 * Turns ajv errors into one diagnostic per real problem, at the line and column of the offending key or
 * value: unknown keys with a "did you mean" (or the new name of a renamed key), missing keys, wrong types,
 * values outside an enum. Alternatives are written with `if`/`then`/`else` in our schema, so that
 * `concurrency: { group: llm, limt: 3 }` says "unknown key `limt`", not "must be a string". A value whose
 * schema says `writeOnly: true` (where a secret could be written by mistake) is never repeated.
 */
export function schemaDiagnostics(
  errors: readonly ErrorObject[],
  value: unknown,
  sourceMap: SourceMap,
  codes: SchemaDiagnosticCodes = WORKFLOW_SCHEMA_CODES,
  prefix: DocPath = [],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of selectAnyOfBranches(errors)) {
    const path = pointerToPath(error.instancePath, value, prefix);
    const d = describe(error, path, codes);
    if (!d) continue;
    const pos = d.atKey ? sourceMap.locateKey(d.atKey) : sourceMap.locate(path);
    const diagnostic: Diagnostic = { file: sourceMap.file, line: pos.line, col: pos.col, code: d.code, message: d.message };
    if (d.hint) diagnostic.hint = d.hint;
    const key = `${pos.line}:${pos.col}:${d.code}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnostic);
  }
  return out;
}

interface Described {
  code: ErrorCode;
  message: string;
  hint?: string;
  atKey?: DocPath;
}

function describe(error: ErrorObject, path: (string | number)[], codes: SchemaDiagnosticCodes): Described | undefined {
  const where = path.length === 0 ? 'at the top level' : `in \`${formatPath(path)}\``;
  const subject = path.length === 0 ? 'the document' : `\`${formatPath(path)}\``;
  const params = error.params as Record<string, unknown>;
  // What was written where only a variable's name belongs may be the secret itself: never repeat it.
  const hidden = (error.parentSchema as { writeOnly?: boolean } | undefined)?.writeOnly === true;
  // Errors raised while checking a property *name* repeat what the `propertyNames` error says.
  if ((error as { propertyName?: string }).propertyName !== undefined) return undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = new Set(Object.keys(propertiesOf(error.parentSchema)));
      const hint = renamedKeyHint(key, allowed) ?? didYouMeanHint(key, allowed);
      const d: Described = { code: codes.unknownKey, message: `unknown key \`${key}\` ${where}`, atKey: [...path, key] };
      if (hint) d.hint = hint;
      return d;
    }
    case 'required':
      return {
        code: codes.invalid,
        message: `${subject} is missing the required key \`${String(params.missingProperty)}\``,
        atKey: path,
      };
    case 'propertyNames': {
      const name = String(params.propertyName);
      const rule = describeNameRule(error.schema);
      return { code: codes.invalid, message: `\`${name}\` is not a valid name ${where}: ${rule}`, atKey: [...path, name] };
    }
    case 'type': {
      const types = Array.isArray(params.type) ? params.type : [params.type];
      const must = `${subject} must be ${types.map(article).join(' or ')}`;
      return { code: codes.invalid, message: hidden ? must : `${must}, not ${kindOf(error.data)}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => String(v));
      const must = `${subject} must be one of ${listAllowed(allowed)}`;
      const d: Described = { code: codes.invalid, message: hidden ? must : `${must}, not \`${String(error.data)}\`` };
      const hint = typeof error.data === 'string' && !hidden ? didYouMeanHint(error.data, allowed) : undefined;
      if (hint) d.hint = hint;
      return d;
    }
    case 'const': {
      const must = `${subject} must be ${JSON.stringify(params.allowedValue)}`;
      return { code: codes.invalid, message: hidden ? must : `${must}, not ${JSON.stringify(error.data)}` };
    }
    case 'pattern': {
      const rule = describeNameRule(error.parentSchema);
      return { code: codes.invalid, message: hidden ? `${subject} is not valid: ${rule}` : `${subject} is \`${String(error.data)}\`, which is not valid: ${rule}` };
    }
    case 'anyOf':
    case 'oneOf': {
      const description = (error.parentSchema as { description?: string } | undefined)?.description;
      return { code: codes.invalid, message: `${subject} has the wrong form${description ? `: ${lowerFirst(description)}` : ''}` };
    }
    default:
      return { code: codes.invalid, message: `${subject} ${error.message ?? 'is invalid'}` };
  }
}

/**
 * For each `anyOf`/`oneOf` that failed, keeps only the umbrella error: the errors of every alternative
 * would contradict each other ("must be a string", "must be a map"). Our own schema uses `if`/`then`/`else`
 * where an alternative's own errors are worth showing; the `if` error itself says nothing useful.
 */
function selectAnyOfBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  const umbrellas = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') return true;
    return !umbrellas.some((u) => e.instancePath === u.instancePath || e.instancePath.startsWith(`${u.instancePath}/`));
  });
}

function propertiesOf(schema: unknown): Record<string, unknown> {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ?? {};
}

function describeNameRule(schema: unknown): string {
  const s = schema as { description?: string; pattern?: string; $ref?: string } | undefined;
  if (s?.pattern === '^[a-z][a-z0-9_]*$' || s?.$ref === '#/$defs/identifier') {
    return 'use lower case letters, digits and underscores, starting with a letter';
  }
  if (s?.description) return lowerFirst(s.description.replace(/\.$/, ''));
  return s?.pattern ? `it must match ${s.pattern}` : 'it is not allowed here';
}

function article(type: unknown): string {
  const t = String(type);
  if (t === 'object') return 'a map';
  if (t === 'array') return 'a list';
  if (t === 'integer') return 'an integer';
  if (t === 'null') return 'empty';
  return `a ${t}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the string \`${value.length > 40 ? `${value.slice(0, 37)}...` : value}\``;
  return `\`${String(value)}\``;
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** Most allowed values an enum message spells out; a longer list is cut (the did-you-mean still sees it all). */
export const MAX_LISTED_VALUES = 8;

function listAllowed(allowed: readonly string[]): string {
  const shown = allowed.slice(0, MAX_LISTED_VALUES).map((v) => `\`${v}\``).join(', ');
  return allowed.length > MAX_LISTED_VALUES ? `${shown}, … (${allowed.length} values)` : shown;
}
