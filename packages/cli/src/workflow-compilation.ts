import { compileWorkflowWithSources, describeLimitSetting, loadWorkflowFile, settingsFromEnv } from '@ucop/core';
import type { CompiledPlan, Diagnostic, LoadedWorkflow, SettingSource, SettingsLayer } from '@ucop/core';
import type { CliIO } from './cli-io.ts';
import { displayPath, pathForProcess } from './project-context.ts';
import { unknownProviderDiagnostics } from './provider-references.ts';
import type { ProjectContext } from './project-context.ts';

/** The outcome of loading and compiling one workflow file: a plan, or every diagnostic of the file. */
export type CompileOutcome =
  | { ok: true; loaded: LoadedWorkflow; plan: CompiledPlan; sources: Record<string, SettingSource> }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * Loads, validates and compiles a workflow with every configuration layer: the command-line `flags`, the
 * `UCOP_*` environment, the workflow's own `config:`, the main configuration and the built-in defaults.
 * Diagnostics name the file as the user gave it (relative to the current directory).
 */
export async function compileWorkflowFile(
  file: string,
  project: ProjectContext,
  io: Pick<CliIO, 'cwd' | 'env'> & { signal?: AbortSignal },
  flags: SettingsLayer = {},
): Promise<CompileOutcome> {
  const name = pathForProcess(io.cwd, file);
  const env = settingsFromEnv(io.env);
  const external = Object.keys({ ...project.mainConfig?.defaults.concurrency, ...env.concurrency, ...flags.concurrency });
  const result = await loadWorkflowFile(name, {
    agents: project.agents,
    externalConcurrencyGroups: external,
    limits: { maxBytes: project.fileLimits.workflowBytes },
    limitSetting: describeLimitSetting('workflowBytes'),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  if (!result.workflow || result.diagnostics.length > 0) return { ok: false, diagnostics: result.diagnostics };
  const unknownProviders = unknownProviderDiagnostics(
    result.workflow,
    project.providers.providers.map((p) => p.name),
    project.providersPath === undefined ? undefined : displayPath(io.cwd, project.providersPath),
  );
  if (unknownProviders.length > 0) return { ok: false, diagnostics: unknownProviders };
  const { plan, sources } = compileWorkflowWithSources(result.workflow, {
    agents: project.agents,
    layers: { ...(project.mainConfig ? { mainConfig: project.mainConfig } : {}), env, flags },
  });
  return { ok: true, loaded: result.workflow, plan, sources };
}
