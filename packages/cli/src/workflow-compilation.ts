import { compileWorkflow, loadWorkflowFile, settingsFromEnv } from '@ucop/core';
import type { CompiledPlan, Diagnostic, LoadedWorkflow, SettingsLayer } from '@ucop/core';
import type { CliIO } from './cli-io.ts';
import { absolute } from './project-context.ts';
import type { ProjectContext } from './project-context.ts';

/** The outcome of loading and compiling one workflow file: a plan, or every diagnostic of the file. */
export type CompileOutcome = { ok: true; loaded: LoadedWorkflow; plan: CompiledPlan } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Loads, validates and compiles a workflow with every configuration layer: the command-line `flags`, the
 * `UCOP_*` environment, the workflow's own `config:`, the main configuration and the built-in defaults.
 */
export async function compileWorkflowFile(
  file: string,
  project: ProjectContext,
  io: Pick<CliIO, 'cwd' | 'env'>,
  flags: SettingsLayer = {},
): Promise<CompileOutcome> {
  const path = absolute(io.cwd, file);
  const result = await loadWorkflowFile(path, { agents: project.agents });
  if (!result.workflow || result.diagnostics.length > 0) return { ok: false, diagnostics: result.diagnostics };
  const plan = compileWorkflow(result.workflow, {
    agents: project.agents,
    layers: { mainConfig: project.mainConfig, env: settingsFromEnv(io.env), flags },
  });
  return { ok: true, loaded: result.workflow, plan };
}
