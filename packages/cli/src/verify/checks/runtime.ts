import type { CheckResult } from '../verify-types.ts';
import { satisfiesRange } from '../version-range.ts';
import type { DependencyRequirement } from '../installed-packages.ts';

/** What the runtime check compares; injected so that its tests can present an old Node or a wrong version. */
export interface RuntimeCheckDeps {
  /** The running Node version, e.g. `process.versions.node`. */
  nodeVersion: string;
  /** The supported Node range (root package.json `engines.node`). */
  nodeRange: string;
  /** The third-party dependencies with their supported ranges. */
  requirements: readonly DependencyRequirement[];
  /** The version of `name` that Node resolves from `fromDir`, or undefined when it is missing. */
  installedVersion(name: string, fromDir: string): string | undefined;
}

interface DependencyFinding {
  name: string;
  declaredBy: string;
  range: string;
  installed: string | null;
  problem?: string;
}

/** Node is in the supported range and every runtime dependency is installed in its supported range. */
export function checkRuntime(deps: RuntimeCheckDeps): CheckResult {
  const problems: string[] = [];
  const nodeOk = satisfiesRange(deps.nodeVersion, deps.nodeRange);
  if (nodeOk !== true) {
    problems.push(`Node ${deps.nodeVersion} is not supported (need ${deps.nodeRange}; run through npx so that the pinned Node from the "node" devDependency is used)`);
  }
  const dependencies: DependencyFinding[] = [];
  for (const { name, range, declaredBy } of deps.requirements) {
    const installed = deps.installedVersion(name, declaredBy);
    const finding: DependencyFinding = { name, declaredBy, range, installed: installed ?? null };
    if (installed === undefined) {
      finding.problem = `${name} is not installed (need ${range}; run npm ci)`;
    } else {
      const ok = satisfiesRange(installed, range);
      if (ok === false) finding.problem = `${name} ${installed} is outside the supported range ${range} (run npm ci to restore the locked versions)`;
      if (ok === undefined) finding.problem = `${name} ${installed} cannot be compared with the range "${range}"`;
    }
    if (finding.problem && !problems.includes(finding.problem)) problems.push(finding.problem);
    dependencies.push(finding);
  }
  const details = { node: { version: deps.nodeVersion, range: deps.nodeRange }, dependencies };
  if (problems.length > 0) return { name: 'runtime', ok: false, reason: problems.join('; '), details };
  return {
    name: 'runtime',
    ok: true,
    reason: `Node ${deps.nodeVersion} (${deps.nodeRange}) and ${dependencies.length} dependencies in their supported ranges`,
    details,
  };
}
