import { fileErrorDiagnostic } from '../files/file-error-diagnostic.ts';
import { readTextFile } from '../files/read-text-file.ts';
import { dirname, join, resolve } from 'node:path';
import { checkUses, usesSites, type UsedWorkflows } from './uses.ts';
import type { AgentLookup } from '../agents/agent-definition.ts';
import { sortDiagnostics } from '../errors/diagnostic.ts';
import { isUcopError } from '../errors/ucop-error.ts';
import type { Diagnostic } from '../errors/diagnostic.ts';
import { WORKFLOW_SCHEMA, ownSchemaValidator } from './json-schema-ajv.ts';
import { schemaDiagnostics } from './schema-diagnostics.ts';
import { semanticChecks } from './semantic-checks.ts';
import type { LoadedWorkflow } from './workflow-document.ts';
import { dropEmptySections, isRecord, toWorkflowDocument } from './workflow-normalize.ts';
import { loadYaml } from './yaml-loader.ts';
import type { LoadedYaml } from './yaml-loader.ts';
import { resolveYamlLimits } from './yaml-limits.ts';
import type { YamlLimits } from './yaml-limits.ts';

const REQUIRED_SECTIONS = new Set(['version', 'name', 'steps']);

export interface ValidateWorkflowOptions {
  /** The agents steps may use; `with` is checked against their input schemas. */
  agents: AgentLookup;
  /** Loader limits; see {@link YamlLimits} for the defaults. */
  limits?: Partial<YamlLimits>;
  /** Concurrency groups whose limits are set outside the workflow (config/main.yaml, flags). */
  externalConcurrencyGroups?: Iterable<string>;
  /** How a user raises the size limit, named when a file is over it (see describeLimitSetting). */
  limitSetting?: string;
  /** Ends reading the file at once. */
  signal?: AbortSignal;
  /** The files that `uses:` steps call, already validated (loadWorkflowFile reads them). */
  usedWorkflows?: UsedWorkflows;
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
  return validateLoaded(loadYaml(source, file, options.limits), file, options);
}

/** The schema and semantic checks of a file already loaded (with its loader problems, if any). */
function validateLoaded(loaded: LoadedYaml, file: string, options: ValidateWorkflowOptions): WorkflowValidation {
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
    // Called workflows first: follow-up templates may name steps inside them (`chapter.check`).
    diagnostics.push(...checkUses(document, loaded.sourceMap, file, options.usedWorkflows));
    diagnostics.push(...semanticChecks(document, loaded.sourceMap, semanticOptions));
    if (diagnostics.length === 0) {
      // Valid: positions are now rarely asked for, and `yaml`'s node tree would stay alive with the workflow
      // through compile and run (120 MB for 50,000 steps). It is parsed again if a position is needed.
      loaded.sourceMap.releaseDocument();
      return { workflow: { file, document, sourceMap: loaded.sourceMap }, diagnostics: [] };
    }
  }
  return { diagnostics: sortDiagnostics(diagnostics) };
}

/**
 * Reads and validates a workflow file, with the care of {@link readTextFile}: a missing file is a
 * FILE_NOT_FOUND diagnostic at 1:1; a directory, FIFO or device, a file over the size limit (YAML_TOO_LARGE,
 * refused before it is read) and a file that is not UTF-8 (at the bad byte) are diagnostics too.
 */
export async function loadWorkflowFile(path: string, options: ValidateWorkflowOptions): Promise<WorkflowValidation> {
  return loadWithUses(resolve(path), path, options, [], new Map());
}

/** One file of a `uses:` chain: its called files first (each once), then the file itself. */
async function loadWithUses(
  absolute: string,
  path: string,
  options: ValidateWorkflowOptions,
  stack: readonly UsesCall[],
  seen: Map<string, Promise<WorkflowValidation>>,
): Promise<WorkflowValidation> {
  const limits = resolveYamlLimits(options.limits);
  let source: string;
  try {
    source = await readTextFile(path, {
      maxBytes: limits.maxBytes,
      what: 'workflow file',
      tooLargeCode: 'YAML_TOO_LARGE',
      ...(options.limitSetting ? { limitSetting: options.limitSetting } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    const diagnostic = fileErrorDiagnostic(error, path);
    if (diagnostic.code === 'FILE_NOT_FOUND') diagnostic.message = 'the workflow file does not exist: check the path';
    if (diagnostic.code === 'FILE_NOT_REGULAR' && isUcopError(error) && error.fields['kind'] === 'a directory') {
      return { diagnostics: [{ ...diagnostic, code: 'FILE_NOT_FOUND', message: `${path} is a directory: give the workflow files in it, e.g. \`${join(path, '*.yaml')}\`` }] };
    }
    return { diagnostics: [diagnostic] };
  }
  // Loaded once: the `uses:` sites are read from the same value the checks then validate.
  const parsed = loadYaml(source, path, limits);
  const sites = parsed.diagnostics.length > 0 ? [] : usesSites(parsed.value, absolute);
  if (sites.length === 0) return validateLoaded(parsed, path, { ...options, limits });
  const used = new Map<string, WorkflowValidation>();
  for (const site of sites) {
    if (used.has(site.file)) continue;
    const call = usesCall(path, () => parsed.sourceMap.locate(site.path));
    const chain = [...stack, call];
    const loop = chain.findIndex((c) => resolve(c.file) === site.file);
    if (loop >= 0) {
      const text = chain.slice(loop).map((c) => `${c.file}:${c.at().line}:${c.at().col}`).join(' -> ');
      const pos = call.at();
      used.set(site.file, { diagnostics: [{ file: path, line: pos.line, col: pos.col, code: 'USES_CYCLE', message: `workflows call each other in a circle: ${text} -> ${chain[loop]!.file}: remove one of these \`uses:\`` }] });
      continue;
    }
    let pending = seen.get(site.file);
    if (!pending) {
      pending = loadWithUses(site.file, relativeTo(path, site.uses), options, chain, seen);
      seen.set(site.file, pending);
    }
    const result = await pending;
    const missing = result.diagnostics.length === 1 && result.diagnostics[0]!.code === 'FILE_NOT_FOUND' && result.diagnostics[0]!.line === 1 ? result.diagnostics[0] : undefined;
    // A called file that does not exist is reported where it is called, not at its own (absent) 1:1.
    used.set(site.file, missing ? { diagnostics: [{ ...missing, file: path, ...call.at(), message: `\`uses: ${site.uses}\`: the workflow file does not exist (${relativeTo(path, site.uses)}): check the path, relative to this file` }] } : result);
  }
  return validateLoaded(parsed, path, { ...options, limits, usedWorkflows: used });
}

/**
 * One `uses:` of a chain of called files. Its position is looked up only for a message (a cycle, a missing
 * file): the position of a valid file's `uses:` would make its source map parse the file with `yaml`.
 */
interface UsesCall {
  file: string;
  at(): { line: number; col: number };
}

function usesCall(file: string, locate: () => { line: number; col: number }): UsesCall {
  let pos: { line: number; col: number } | undefined;
  return { file, at: () => (pos ??= locate()) };
}

/** The called file's path as the user would write it from where they are (for messages). */
function relativeTo(callingFile: string, uses: string): string {
  return join(dirname(callingFile), uses);
}
