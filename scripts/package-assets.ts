/**
 * Copies the shared files a package needs at run time into the package before it is packed, and removes the
 * copies afterwards (npm's prepack / postpack). In the repository those files live once, at the root
 * (workflows/, config/, examples/, prompts/); an installed package has no repository around it, so it
 * carries them. Usage: node scripts/package-assets.ts copy|clean <core|agents|cli>
 */
import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/** What each package carries, as paths relative to the repository root (copied to the same relative path). */
export const PACKAGE_ASSETS: Readonly<Record<string, readonly string[]>> = {
  core: [],
  agents: ['prompts'],
  cli: ['workflows', 'config/providers.yaml', 'config/main.yaml', 'examples'],
};

function main(argv: readonly string[]): number {
  const [action, name] = argv;
  const assets = name === undefined ? undefined : PACKAGE_ASSETS[name];
  if ((action !== 'copy' && action !== 'clean') || assets === undefined) {
    process.stderr.write(`usage: node scripts/package-assets.ts copy|clean <${Object.keys(PACKAGE_ASSETS).join('|')}>\n`);
    return 2;
  }
  const packageDir = join(ROOT, 'packages', name!);
  for (const asset of assets) {
    const target = join(packageDir, asset);
    rmSync(target, { recursive: true, force: true });
    if (action === 'copy') cpSync(join(ROOT, asset), target, { recursive: true });
  }
  // An emptied config/ folder of the CLI package is removed too.
  if (action === 'clean' && name === 'cli') rmSync(join(packageDir, 'config'), { recursive: true, force: true });
  return 0;
}

process.exitCode = main(process.argv.slice(2));
