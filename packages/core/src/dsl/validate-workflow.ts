import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentLookup } from '../agents/agent-definition.ts';
import { sortDiagnostics } from '../errors/diagnostic.ts';
import type { Diagnostic } from '../errors/diagnostic.ts';
import { WORKFLOW_SCHEMA, ownSchemaValidator } from './json-schema-ajv.ts';
import { schemaDiagnostics } from './schema-diagnostics.ts';
import { semanticChecks } from './semantic-checks.ts';
import type { LoadedWorkflow } from './workflow-document.ts';
import { dropEmptySections, isRecord, toWorkflowDocument } from './workflow-normalize.ts';

const REQUIRED_SECTIONS = new Set(['version', 'name', 'steps']);
import { loadYaml } from './yaml-loader.ts';
import { resolveYamlLimits } from './yaml-limits.ts';
import type { YamlLimits } from './yaml-limits.ts';

export interface ValidateWorkflowOptions {
  /** The agents steps may use; `with` is checked against their input schemas. */
  agents: AgentLookup;
  /** Loader limits; see {@link YamlLimits} for the defaults. */
  limits?: Partial<YamlLimits>;
  /** Concurrency groups whose limits are set outside the workflow (config/main.yaml, flags). */
  externalConcurrencyGroups?: Iterable<string>;
}

export interface WorkflowValidation {
  /** Present only when there is no error. */
  workflow?: LoadedWorkflow;
  /** Every problem of the file, sorted by line and column. */
  diagnostics: Diagnostic[];
}

/**
 * Loads and validates workflow text: YAML with limits, the JSON Schema, then the semantic checks. All the
 * problems of the file are gathered; the workflow is returned only when there are none.
 * @example
 * const { workflow, diagnostics } = validateWorkflowSource(text, 'blog.yaml', { agents: registry });
 * for (const d of diagnostics) console.error(formatDiagnostic(d));
 */
export function validateWorkflowSource(source: string, file: string, options: ValidateWorkflowOptions): WorkflowValidation {
  const loaded = loadYaml(source, file, options.limits);
  if (loaded.diagnostics.length > 0) return { diagnostics: sortDiagnostics(loaded.diagnostics) };
  const diagnostics: Diagnostic[] = [];
  const value = dropEmptySections(loaded.value, REQUIRED_SECTIONS);
  const validate = ownSchemaValidator(WORKFLOW_SCHEMA);
  if (!validate(value)) diagnostics.push(...schemaDiagnostics(validate.errors ?? [], value, loaded.sourceMap));
  // The semantic checks need at least a map of steps to say anything useful.
  if (isRecord(value) && isRecord(value.steps)) {
    const document = toWorkflowDocument(value);
    const semanticOptions: Parameters<typeof semanticChecks>[2] = { agents: options.agents };
    if (options.externalConcurrencyGroups) semanticOptions.externalConcurrencyGroups = options.externalConcurrencyGroups;
    diagnostics.push(...semanticChecks(document, loaded.sourceMap, semanticOptions));
    if (diagnostics.length === 0) return { workflow: { file, document, sourceMap: loaded.sourceMap }, diagnostics: [] };
  }
  return { diagnostics: sortDiagnostics(diagnostics) };
}

/**
 * Reads and validates a workflow file. A missing file is a FILE_NOT_FOUND diagnostic at 1:1; a file over
 * the size limit is refused before it is read.
 */
export async function loadWorkflowFile(path: string, options: ValidateWorkflowOptions): Promise<WorkflowValidation> {
  const limits = resolveYamlLimits(options.limits);
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      const message = `${path} is a directory: give the workflow files in it, e.g. \`${join(path, '*.yaml')}\``;
      return { diagnostics: [{ file: path, line: 1, col: 1, code: 'FILE_NOT_FOUND', message }] };
    }
    if (!info.isFile()) return { diagnostics: [notFound(path, 'is not a regular file')] };
    size = info.size;
  } catch {
    return { diagnostics: [notFound(path, 'does not exist')] };
  }
  if (size > limits.maxBytes) {
    return {
      diagnostics: [
        { file: path, line: 1, col: 1, code: 'YAML_TOO_LARGE', message: `the file is ${size} bytes, more than the limit of ${limits.maxBytes}: split it or raise the limit` },
      ],
    };
  }
  const source = await readFile(path, 'utf8');
  return validateWorkflowSource(source, path, { ...options, limits });
}

function notFound(path: string, what: string): Diagnostic {
  return { file: path, line: 1, col: 1, code: 'FILE_NOT_FOUND', message: `the workflow file ${what}: check the path` };
}
