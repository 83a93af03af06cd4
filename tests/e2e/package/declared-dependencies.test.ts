import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it, expect } from 'vitest';

/**
 * What a package imports at run time must be in its own `dependencies` (the workspace hoists everything, so
 * an undeclared import works here and fails once installed: `p-limit` did), and what it declares must be used.
 * Test files and `testing/` folders are left out: they are not built into the packages.
 */
const PACKAGES = resolve(import.meta.dirname, '../../../packages');
const IMPORT = /(?:from |import\(|require\(|require\.resolve\()'([^'.][^']*)'/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.split('/').includes('testing'));
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

describe.each(['core', 'agents', 'worker', 'cli'])('@ucop/%s', (name) => {
  const manifest = JSON.parse(readFileSync(join(PACKAGES, name, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> };
  const declared = Object.keys(manifest.dependencies ?? {});
  const used = new Set<string>();
  for (const file of sources(join(PACKAGES, name, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1]!;
      if (!specifier.startsWith('node:') && !specifier.startsWith('@ucop/')) used.add(packageName(specifier));
    }
  }

  it('declares every package its sources import', () => {
    expect([...used].filter((dep) => !declared.includes(dep)).sort()).toEqual([]);
  });

  it('uses every dependency it declares', () => {
    expect(declared.filter((dep) => !dep.startsWith('@ucop/') && !used.has(dep)).sort()).toEqual([]);
  });
});
