/**
 * Vitest global setup: brings the built packages (packages/*\/dist) up to date before the tests, because the
 * end-to-end tests run the real `ucop` binary, which runs the built JavaScript. The build is incremental:
 * when nothing changed it costs a fraction of a second.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  const root = resolve(import.meta.dirname, '..');
  const tsc = resolve(root, 'node_modules/typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'packages/cli/tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
