import { UcopError, compileWorkflow, formatDiagnostic, runWorkflow, systemClock, validateWorkflowSource } from '@ucop/core';
import type { EngineRunner, WorkflowCompiler } from './engine-harness.ts';
import type { MeasureDeps } from './measure-deps.ts';
import { createSimAgents } from './sim-agents.ts';

/** How many diagnostics an invalid synthetic workflow quotes in its error. */
const QUOTED = 5;

/**
 * Validates and compiles workflow text with @ucop/core. Synthetic workflows are generated, so a diagnostic
 * here is a bug in the generator or in the DSL; the error quotes the first ones.
 */
export const compileWithCore: WorkflowCompiler = async (source, file, agents) => {
  const { workflow, diagnostics } = validateWorkflowSource(source, file, { agents });
  if (!workflow) {
    const first = diagnostics[0];
    throw new UcopError(first?.code ?? 'SCHEMA_INVALID', `the generated workflow ${file} is invalid: ${diagnostics.slice(0, QUOTED).map(formatDiagnostic).join('; ')}`, {
      fields: { file, diagnostics: diagnostics.length },
    });
  }
  return compileWorkflow(workflow, { agents });
};

/** Runs a plan with @ucop/core's `runWorkflow`. */
export const runWithCore: EngineRunner = async (request) => {
  const result = await runWorkflow(request.plan, {
    inputs: request.inputs ?? {},
    agents: request.agents,
    engine: request.engine,
    ...(request.scheduling ? { scheduling: request.scheduling } : {}),
    ...(request.outDir ? { outDir: request.outDir } : {}),
    ...(request.resume ? { resume: true } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  return { record: result.record, state: result.state };
};

/** The real engine harness: @ucop/core, simulated agents, the system clock. */
export function createCoreHarness(): MeasureDeps {
  return { compile: compileWithCore, run: runWithCore, simAgents: createSimAgents, clock: systemClock };
}
