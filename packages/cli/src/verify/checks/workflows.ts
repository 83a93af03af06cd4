import { formatDiagnostic, sortDiagnostics } from '@ucop/core';
import type { Diagnostic } from '@ucop/core';
import type { CheckResult } from '../verify-types.ts';

/** What the workflows check reads; injected so that its tests can hand it broken files. */
export interface WorkflowsCheckDeps {
  /** Workflow files to validate: the shipped ones, then those of the user's directory. */
  files: readonly string[];
  /** Loads and validates one workflow against the installed agents; every problem of the file. */
  validateFile(file: string): Promise<Diagnostic[]>;
  /** Configuration files to check: the main ones (shipped, the user's `config/main.yaml`) and the providers file. */
  configFiles: readonly string[];
  /** Loads a configuration file; unknown keys (old names named with the new one) as diagnostics. */
  checkConfigFile(file: string): Promise<Diagnostic[]>;
  /** Problems found while collecting the files, e.g. a `--workflows` directory that does not exist. */
  problems?: readonly string[];
}

/** How many diagnostics the one-line reason quotes; the rest are in `details`. */
const QUOTED = 8;

/**
 * Every workflow validates (schema, references, agents and providers that exist, durations, ...) and every
 * configuration file has only known keys.
 */
export async function checkWorkflows(deps: WorkflowsCheckDeps): Promise<CheckResult> {
  const diagnostics: Diagnostic[] = [];
  for (const file of deps.files) diagnostics.push(...(await deps.validateFile(file)));
  for (const file of deps.configFiles) diagnostics.push(...(await deps.checkConfigFile(file)));
  const sorted = sortDiagnostics(diagnostics);
  const lines = sorted.map(formatDiagnostic);
  const problems = [...(deps.problems ?? [])];
  const details = { workflows: [...deps.files], configFiles: [...deps.configFiles], diagnostics: lines };
  if (deps.files.length === 0) problems.push('no workflow files found to validate');
  if (problems.length > 0 || lines.length > 0) {
    const quoted = lines.slice(0, QUOTED).join('; ');
    const more = lines.length > QUOTED ? `; and ${lines.length - QUOTED} more` : '';
    return { name: 'workflows', ok: false, reason: [...problems, ...(lines.length > 0 ? [`${lines.length} problem(s): ${quoted}${more}`] : [])].join('; '), details };
  }
  return { name: 'workflows', ok: true, reason: `${deps.files.length} workflow(s) and ${deps.configFiles.length} configuration file(s) valid, every agent known`, details };
}
