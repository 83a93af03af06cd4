import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The CLI package's own directory (packages/cli in a checkout, node_modules/@ucop/cli once installed). */
export const CLI_PACKAGE_ROOT = resolve(import.meta.dirname, '..');

/**
 * Where the shipped files are: `workflows/` (the blog pipeline and the examples), `config/providers.yaml`
 * and `examples/`. In a checkout of the repository that is its root; in an installed package it is the
 * package itself, which carries copies of them (made when the package is packed, see scripts/package-assets.ts).
 */
export const INSTALL_ROOT = inCheckout(CLI_PACKAGE_ROOT) ? resolve(CLI_PACKAGE_ROOT, '../..') : CLI_PACKAGE_ROOT;

function inCheckout(packageRoot: string): boolean {
  return basename(dirname(packageRoot)) === 'packages' && existsSync(join(packageRoot, '../../workflows/blog_generation.yaml'));
}
