import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository (or installation) root: four levels above this file (packages/cli/src/verify/). */
export const DEFAULT_ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');

/** The workspace packages whose `dependencies` define what the project supports. */
export const WORKSPACE_PACKAGES = ['packages/core', 'packages/agents', 'packages/cli'] as const;

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The supported range of every third-party runtime dependency, as declared by the workspace packages.
 * When two packages declare the same dependency, both ranges must hold, so they are joined with a space.
 */
export function supportedDependencyRanges(root: string = DEFAULT_ROOT): Record<string, string> {
  const ranges: Record<string, string> = {};
  for (const pkg of WORKSPACE_PACKAGES) {
    const manifest = readJson(join(root, pkg, 'package.json'));
    const deps = (manifest?.dependencies ?? {}) as Record<string, string>;
    for (const [name, range] of Object.entries(deps)) {
      if (name.startsWith('@ucop/')) continue;
      const known = ranges[name];
      ranges[name] = known === undefined || known === range ? range : `${known} ${range}`;
    }
  }
  return Object.fromEntries(Object.entries(ranges).sort(([a], [b]) => a.localeCompare(b)));
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
