import type { MeasureDeps } from '../bench/measure-deps.ts';

/**
 * What the engine checks depend on: the bench harness (compiler, engine, simulated agents, clock). Every
 * piece is a parameter so that the checks' own tests can break one and see the check fail.
 */
export type EngineCheckDeps = MeasureDeps;
