import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_FILE_LIMITS, compileWorkflow, fileErrorDiagnostic, loadMainConfig, readTextFile, loadWorkflowFile, runWorkflow, AgentRegistry } from '@ucop/core';
import type { AgentLookup, Diagnostic, MainConfig, MainConfigValidation } from '@ucop/core';
import { checkProviderConfig, createAgentRegistry } from '@ucop/agents';
import type { ProviderConfigCheck } from '@ucop/agents';
import { createOfflineLlmClient } from './offline-llm.ts';
import { createCoreHarness } from '../bench/core-harness.ts';
import { findProvidersFile } from '../project-context.ts';
import { unknownProviderDiagnostics } from '../provider-references.ts';
import type { ParityCheckDeps } from './checks/parity.ts';
import type { WorkflowsCheckDeps } from './checks/workflows.ts';
import type { RuntimeCheckDeps } from './checks/runtime.ts';
import { DEFAULT_ROOT, dependencyRequirements, installedVersion, supportedNodeRange } from './installed-packages.ts';
import type { VerifyDeps, VerifyOptions } from './verify-options.ts';
import { collectVerifyFiles } from './verify-files.ts';
import { sampleInputs } from './sample-inputs.ts';
import { countingAgents } from './counting-agents.ts';

function diagnosticAt(file: string, error: unknown): Diagnostic {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: Diagnostic['code'] }).code : 'INTERNAL';
  return { file, line: 1, col: 1, code, message: error instanceof Error ? error.message : String(error) };
}

/** The user's main configuration (the current directory's, else the shipped one), if it is valid. */
function userConfig(validations: ReadonlyMap<string, MainConfigValidation>, cwd: string, root: string): MainConfig | undefined {
  return validations.get(resolve(cwd, 'config', 'main.yaml'))?.config ?? validations.get(resolve(root, 'config', 'main.yaml'))?.config;
}

async function agentsFor(config: MainConfig | undefined, cwd: string, problems: string[]): Promise<AgentLookup> {
  try {
    return await createAgentRegistry({ plugins: config?.agents.plugins ?? [], baseDir: config?.dir ?? cwd });
  } catch (error) {
    problems.push(`the agent plugins of ${config?.file ?? 'the configuration'} could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
    return createAgentRegistry({ plugins: [], baseDir: cwd }).catch(() => new AgentRegistry());
  }
}

/** The providers file the user's configuration selects, checked; problems finding it go to `problems`. */
async function providersFileCheck(cwd: string, config: MainConfig | undefined, problems: string[]): Promise<{ file: string; check: ProviderConfigCheck } | undefined> {
  let file: string | undefined;
  try {
    file = findProvidersFile(cwd, config);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  if (file === undefined) return undefined;
  const maxBytes = config?.limits?.configBytes ?? DEFAULT_FILE_LIMITS.configBytes;
  try {
    return { file, check: checkProviderConfig(await readTextFile(file, { maxBytes, what: 'providers file' }), file, maxBytes) };
  } catch (error) {
    return { file, check: { config: undefined, diagnostics: [fileErrorDiagnostic(error, file)] } };
  }
}

/**
 * The real dependencies of every check: this installation's runtime, workflows, configuration, agents and
 * engines. Problems met while gathering them (a missing directory, a plugin that fails to load) are handed
 * to the workflows check, so that the other checks still run.
 */
export async function createDefaultVerifyDeps(options: VerifyOptions): Promise<VerifyDeps> {
  const root = options.root ?? DEFAULT_ROOT;
  const cwd = options.cwd ?? process.cwd();
  const candidates = [...new Set([resolve(root, 'config', 'main.yaml'), resolve(cwd, 'config', 'main.yaml')])].filter((f) => existsSync(f));
  const validations = new Map<string, MainConfigValidation>();
  for (const file of candidates) validations.set(file, await loadMainConfig(file));
  const config = userConfig(validations, cwd, root);
  const workflowsDir = options.workflowsDir ?? (config?.workflows_dir ? resolve(config.dir, config.workflows_dir) : undefined);
  const files = collectVerifyFiles(root, cwd, workflowsDir);
  const problems = [...files.problems];
  const agents = await agentsFor(config, cwd, problems);
  // The providers file the commands would use from this directory: the one its config/main.yaml names, else
  // config/providers.yaml here, else the installation's.
  const providers = await providersFileCheck(cwd, validations.get(resolve(cwd, 'config', 'main.yaml'))?.config, problems);
  // Without a providers file only the offline writer exists; with a broken one, names are not checked (the
  // file's own problems are reported).
  const providerNames = providers ? providers.check.config?.providers.map((p) => p.name) : [];
  const externalConcurrencyGroups = Object.keys(config?.defaults.concurrency ?? {});

  const runtime: RuntimeCheckDeps = {
    nodeVersion: process.versions.node,
    nodeRange: supportedNodeRange(root) ?? '>=24',
    requirements: dependencyRequirements(root),
    installedVersion,
  };

  const workflows: WorkflowsCheckDeps = {
    files: [...files.shipped, ...files.user],
    configFiles: [...files.configFiles, ...(providers ? [providers.file] : [])],
    problems,
    async validateFile(file) {
      const { workflow, diagnostics } = await loadWorkflowFile(file, { agents, externalConcurrencyGroups });
      if (!workflow) return diagnostics;
      if (providerNames) {
        const unknown = unknownProviderDiagnostics(workflow, providerNames, providers?.file);
        if (unknown.length > 0) return unknown;
      }
      try {
        compileWorkflow(workflow, { agents, ...(config ? { layers: { mainConfig: config } } : {}) });
        return [];
      } catch (error) {
        return [diagnosticAt(file, error)];
      }
    },
    async checkConfigFile(file) {
      if (file === providers?.file) return providers.check.diagnostics;
      return (validations.get(file) ?? (await loadMainConfig(file))).diagnostics;
    },
  };

  const runShipped = async (file: string, engine: 'parallel' | 'sequential', outDir: string, resume: boolean, signal?: AbortSignal) => {
    const { workflow, diagnostics } = await loadWorkflowFile(file, { agents });
    if (!workflow) throw new Error(`it does not validate (${diagnostics.length} problem(s); see the workflows check)`);
    // Built-in defaults only: the user's configuration must not make the two runs differ.
    const plan = compileWorkflow(workflow, { agents });
    const { inputs, missing } = sampleInputs(plan.inputs, root);
    if (missing.length > 0) throw new Error(`no sample value for its required input(s) ${missing.join(', ')}: add one in packages/cli/src/verify/sample-inputs.ts`);
    const counted = countingAgents(agents);
    const result = await runWorkflow(plan, { inputs, agents: counted.lookup, engine, outDir, llm: createOfflineLlmClient(), env: {}, ...(resume ? { resume: true } : {}), ...(signal ? { signal } : {}) });
    return { record: result.record, invocations: counted.invocations() };
  };
  const parity: ParityCheckDeps = {
    workflows: files.shipped,
    runOffline: async (file, engine, outDir, signal) => (await runShipped(file, engine, outDir, false, signal)).record,
    runOfflineCounted: runShipped,
  };

  return { runtime, workflows, parity, engine: createCoreHarness() };
}
