import { UcopError } from '@ucop/core';
import type { CheckResult, VerifyCheck, VerifyReport } from './verify-types.ts';
import { CHECK_NAMES, type VerifyDeps, type VerifyOptions } from './verify-options.ts';
import { checkRuntime } from './checks/runtime.ts';
import { checkWorkflows } from './checks/workflows.ts';
import { checkParity } from './checks/parity.ts';
import { checkExactlyOnce } from './checks/exactly-once.ts';
import { checkTimeouts } from './checks/timeouts.ts';
import { checkFailFast } from './checks/fail-fast.ts';
import { checkResume } from './checks/resume.ts';
import { checkSpeedup } from './checks/speedup.ts';
import { createDefaultVerifyDeps } from './default-verify-deps.ts';

/** The speedup tolerance from UCOP_VERIFY_SPEEDUP_TOLERANCE (a fraction such as `0.25`), if it is set and valid. */
export function toleranceFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number | undefined {
  const raw = env['UCOP_VERIFY_SPEEDUP_TOLERANCE']?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new UcopError('CONFIG_INVALID', `UCOP_VERIFY_SPEEDUP_TOLERANCE=${JSON.stringify(raw)} must be a fraction of at least 0, e.g. 0.25 for 25%`, { fields: { variables: ['UCOP_VERIFY_SPEEDUP_TOLERANCE'] } });
  }
  return value;
}

function checksOf(deps: () => Promise<VerifyDeps>, options: VerifyOptions): VerifyCheck[] {
  return [
    { name: 'runtime', description: 'Node and dependency versions are supported', run: async () => checkRuntime((await deps()).runtime) },
    { name: 'workflows', description: 'workflows validate, agents exist, configuration keys are known', run: async () => checkWorkflows((await deps()).workflows) },
    { name: 'parity', description: 'shipped workflows give identical results in both engines', run: async (s) => checkParity((await deps()).parity, s) },
    { name: 'exactly-once', description: 'every (step, item, attempt) runs exactly once', run: async (s) => checkExactlyOnce((await deps()).engine, s) },
    { name: 'timeouts', description: 'a hanging step is stopped by its timeout and reported', run: async (s) => checkTimeouts((await deps()).engine, s, options.timeoutToleranceMs === undefined ? {} : { toleranceMs: options.timeoutToleranceMs }) },
    { name: 'fail-fast', description: 'fail-fast cancels siblings and refuses their late writes', run: async (s) => checkFailFast((await deps()).engine, s) },
    { name: 'resume', description: 'resume skips finished steps', run: async (s) => checkResume((await deps()).engine, s) },
    {
      name: 'speedup',
      description: 'the parallel engine is near the lower bound and faster than sequential',
      run: async (s) => {
        // Read here, so that a bad variable fails this check with its reason rather than the whole run.
        const tolerance = options.speedupTolerance ?? toleranceFromEnv();
        return checkSpeedup((await deps()).engine, s, {
          ...(tolerance === undefined ? {} : { tolerance }),
          ...(options.speedupFactor === undefined ? {} : { speedupFactor: options.speedupFactor }),
        });
      },
    },
  ];
}

/**
 * Runs the checks one after another (the timing checks must not compete with each other for the CPU) and
 * reports each as passed or failed with its reason. A check that throws is reported as failed; the report
 * is `ok` only when every check passed.
 */
export async function runVerify(options: VerifyOptions = {}): Promise<VerifyReport> {
  const startedAt = new Date();
  const started = performance.now();
  let built: Promise<VerifyDeps> | undefined;
  const deps = (): Promise<VerifyDeps> => {
    const given = options.deps ?? {};
    const complete = given.runtime && given.workflows && given.parity && given.engine;
    built ??= complete ? Promise.resolve(given as VerifyDeps) : createDefaultVerifyDeps(options).then((real) => ({ ...real, ...given }));
    return built;
  };
  const selected = new Set<string>(options.checks ?? CHECK_NAMES);
  const results: CheckResult[] = [];
  for (const check of checksOf(deps, options)) {
    if (!selected.has(check.name)) continue;
    const signal = options.signal ?? new AbortController().signal;
    const t0 = performance.now();
    let result: CheckResult;
    try {
      result = await check.run(signal);
    } catch (error) {
      const message = error instanceof Error ? `${error.name === 'UcopError' ? `${(error as { code?: string }).code} ` : ''}${error.message}` : String(error);
      result = { name: check.name, ok: false, reason: `the check could not run: ${message}` };
    }
    result.durationMs = Math.round(performance.now() - t0);
    results.push(result);
    options.onCheck?.(result);
    if (options.signal?.aborted) break;
  }
  return { ok: results.length > 0 && results.every((r) => r.ok), startedAt: startedAt.toISOString(), durationMs: Math.round(performance.now() - started), checks: results };
}
