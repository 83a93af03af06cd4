/**
 * @ucop/core — the workflow DSL, its compiler, the execution engines, shared state, resilience and telemetry.
 * Each area keeps its own public list in `<area>/index.ts`; other packages import only from here.
 */
export * from './errors/index.ts';
export * from './dsl/index.ts';
export * from './expr/index.ts';
export * from './config/index.ts';
export * from './plan/index.ts';
export * from './state/index.ts';
export * from './resilience/index.ts';
export * from './telemetry/index.ts';
export * from './agents/index.ts';
export * from './engine/index.ts';
export * from './run/index.ts';
export * from './store/index.ts';
export * from './files/index.ts';
export * from './sim/index.ts';
