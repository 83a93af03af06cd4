// Public API of the plan area: compiling a validated workflow and reading the plan.
export type * from './plan-types.ts';
export type { CompileOptions, CompiledPlanWithSources } from './compile-workflow.ts';
export type { GraphFormat } from './render-graph.ts';
export type { SyntheticWorkflowOptions } from './synthetic-workflow.ts';
export { compileWorkflow, compileWorkflowWithSources } from './compile-workflow.ts';
export { estimatePlan } from './estimate-plan.ts';
export { renderGraph } from './render-graph.ts';
export { topologicalOrder } from './topological-order.ts';
export { generateSyntheticWorkflow, syntheticAgents, mulberry32 } from './synthetic-workflow.ts';
