import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { INSTALL_ROOT } from '../install-root.ts';

/** The repository (or installation) root: see {@link INSTALL_ROOT}. */
export const DEFAULT_ROOT = INSTALL_ROOT;

/** The workspace packages whose `dependencies` define what the project supports. */
export const WORKSPACE_PACKAGES = ['packages/core', 'packages/agents', 'packages/cli'] as const;

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A third-party runtime dependency as one workspace package declares it. */
export interface DependencyRequirement {
  name: string;
  range: string;
  /** Absolute directory of the declaring package: the version that counts is the one Node resolves from there. */
  declaredBy: string;
}

/** Every third-party runtime dependency of the workspace packages, per declaring package. */
export function dependencyRequirements(root: string = DEFAULT_ROOT): DependencyRequirement[] {
  const out: DependencyRequirement[] = [];
  for (const pkg of WORKSPACE_PACKAGES) {
    const manifest = readJson(join(root, pkg, 'package.json'));
    const deps = (manifest?.dependencies ?? {}) as Record<string, string>;
    for (const [name, range] of Object.entries(deps)) {
      if (!name.startsWith('@ucop/')) out.push({ name, range, declaredBy: join(root, pkg) });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.declaredBy.localeCompare(b.declaredBy));
}

/** The Node range the project declares in the root package.json `engines.node`. */
export function supportedNodeRange(root: string = DEFAULT_ROOT): string | undefined {
  const engines = readJson(join(root, 'package.json'))?.engines as Record<string, string> | undefined;
  return engines?.node;
}

/**
 * The version of `name` that Node would load from `fromDir`: the first `node_modules/<name>/package.json`
 * walking up, the way Node's resolution does (reading package.json directly works even for packages
 * whose `exports` hide it).
 */
export function installedVersion(name: string, fromDir: string = join(DEFAULT_ROOT, 'packages', 'core')): string | undefined {
  let dir = resolve(fromDir);
  for (;;) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) {
      const version = readJson(file)?.version;
      return typeof version === 'string' ? version : undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
