// Public API of `ucop bench` and of the engine harness that verify and the performance suites share.
export { runBench, benchWorkloads } from './run-bench.ts';
export type { BenchOptions, BenchReport } from './run-bench.ts';
export { formatBenchTable } from './format-bench-table.ts';
export { measureWorkload } from './measure-workload.ts';
export type { MeasureOptions, WorkloadMeasurement } from './measure-workload.ts';
export type { MeasureDeps } from './measure-deps.ts';
export type { EngineRunner, WorkflowCompiler, HarnessRunRequest, HarnessRunResult, Scheduling } from './engine-harness.ts';
export { createCoreHarness, compileWithCore, runWithCore } from './core-harness.ts';
export { createSimAgents } from './sim-agents.ts';
export type { SimAgents, SimAgentsFactory } from './sim-agents.ts';
export { workloadBounds, workloadSource } from './workload.ts';
export type { Workload, WorkloadStep, WorkloadBounds, WorkloadSourceOptions } from './workload.ts';
export { ingestionWorkload, sectionsWorkload, bookWorkload, crossDependenciesWorkload, chainsWorkload, noopWorkload, noopFanOutWorkload, seedWorkloads } from './standard-workloads.ts';
export { machineInfo } from './machine-info.ts';
export { seededRandom, randomInt } from './seeded-random.ts';
export type { MachineInfo } from './machine-info.ts';
export { runStartupBench, standardStartupCases, formatStartupTable } from './startup-benchmark.ts';
export type { StartupCase, StartupFigures, StartupBenchOptions } from './startup-benchmark.ts';
