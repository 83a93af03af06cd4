import type { CheckResult } from './verify-types.ts';
import type { RuntimeCheckDeps } from './checks/runtime.ts';
import type { WorkflowsCheckDeps } from './checks/workflows.ts';
import type { ParityCheckDeps } from './checks/parity.ts';
import type { EngineCheckDeps } from './engine-check-deps.ts';

/** Everything the checks depend on. `runVerify` builds the real ones; tests substitute broken ones. */
export interface VerifyDeps {
  runtime: RuntimeCheckDeps;
  workflows: WorkflowsCheckDeps;
  parity: ParityCheckDeps;
  engine: EngineCheckDeps;
}

/** The checks, in the order they run and print. */
export const CHECK_NAMES = ['runtime', 'workflows', 'parity', 'exactly-once', 'timeouts', 'fail-fast', 'resume', 'speedup'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** Options of {@link runVerify}. */
export interface VerifyOptions {
  /** The user's workflow directory (`--workflows`): every `*.yaml`/`*.yml` in it is validated too. */
  workflowsDir?: string;
  /** Resolves `workflowsDir` and finds the user's `config/main.yaml`. @default process.cwd() */
  cwd?: string;
  /** The installation root (shipped workflows, config and examples). @default the repository root */
  root?: string;
  /** Runs only these checks. @default all of CHECK_NAMES */
  checks?: readonly CheckName[];
  /**
   * Speedup check: how far above the lower bound the parallel engine may be, as a fraction.
   * @default the UCOP_VERIFY_SPEEDUP_TOLERANCE environment variable, else 0.15
   */
  speedupTolerance?: number;
  /** Speedup check: the share of the ideal speedup over sequential required. @default 0.8 */
  speedupFactor?: number;
  /** Timeouts check: how late past timeout (+ cancel grace) a step may stop. @default 250 */
  timeoutToleranceMs?: number;
  signal?: AbortSignal;
  /** Replaces parts of the real dependencies (tests break checks with these). */
  deps?: Partial<VerifyDeps>;
  /** Called after each check, for progress output. */
  onCheck?: (result: CheckResult) => void;
}
