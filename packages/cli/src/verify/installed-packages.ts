import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CLI_PACKAGE_ROOT, INSTALL_ROOT } from '../install-root.ts';

/** The repository (or installation) root: see {@link INSTALL_ROOT}. */
export const DEFAULT_ROOT = INSTALL_ROOT;

/** The workspace packages whose `dependencies` define what the project supports. */
export const WORKSPACE_PACKAGES = ['packages/core', 'packages/agents', 'packages/worker', 'packages/cli'] as const;

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

/**
 * The directories of the ucop packages: under `packages/` in a checkout; in an installed project, where
 * Node finds `@ucop/core`, `@ucop/agents` and `@ucop/worker` from the CLI package (and the CLI package itself).
 */
export function ucopPackageDirs(root: string = DEFAULT_ROOT): string[] {
  const inCheckout = WORKSPACE_PACKAGES.map((pkg) => join(root, pkg));
  if (inCheckout.every((dir) => existsSync(join(dir, 'package.json')))) return inCheckout;
  const found = ['@ucop/core', '@ucop/agents', '@ucop/worker'].map((name) => installedPackageDir(name, CLI_PACKAGE_ROOT));
  return [...found.filter((dir): dir is string => dir !== undefined), CLI_PACKAGE_ROOT];
}

/** Every third-party runtime dependency of the ucop packages, per declaring package. */
export function dependencyRequirements(root: string = DEFAULT_ROOT): DependencyRequirement[] {
  const out: DependencyRequirement[] = [];
  for (const dir of ucopPackageDirs(root)) {
    const manifest = readJson(join(dir, 'package.json'));
    const deps = (manifest?.dependencies ?? {}) as Record<string, string>;
    for (const [name, range] of Object.entries(deps)) {
      if (!name.startsWith('@ucop/')) out.push({ name, range, declaredBy: dir });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.declaredBy.localeCompare(b.declaredBy));
}

/** The Node range the project declares in the root package.json `engines.node`. */
export function supportedNodeRange(root: string = DEFAULT_ROOT): string | undefined {
  const engines = readJson(join(root, 'package.json'))?.engines as Record<string, string> | undefined;
  return engines?.node;
}

/** The directory of `name` as Node would find it from `fromDir` (the first `node_modules/<name>` walking up). */
export function installedPackageDir(name: string, fromDir: string): string | undefined {
  let dir = resolve(fromDir);
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The version of `name` that Node would load from `fromDir`: the first `node_modules/<name>/package.json`
 * walking up, the way Node's resolution does (reading package.json directly works even for packages
 * whose `exports` hide it).
 */
export function installedVersion(name: string, fromDir: string = join(DEFAULT_ROOT, 'packages', 'core')): string | undefined {
  const dir = installedPackageDir(name, fromDir);
  const version = dir === undefined ? undefined : readJson(join(dir, 'package.json'))?.version;
  return typeof version === 'string' ? version : undefined;
}
