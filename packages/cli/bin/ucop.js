#!/usr/bin/env node
// The ucop binary. It runs the built JavaScript in ../dist (a checkout builds it during `npm install`, a
// published package ships it). An older Node is stopped here, before anything else loads, with a message
// that says what to do.
import module from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (!(major >= 24)) {
  process.stderr.write(
    `ucop: Node.js 24 or newer is required (this is Node ${process.versions.node}).\n` +
      `Run it through npx (\`npx ucop ...\`) in a project that pins Node 24, or install Node 24.\n`,
  );
  process.exit(1);
}
// Caches compiled modules on disk (in the OS temp directory), so later starts skip parsing them again.
module.enableCompileCache?.();
try {
  await import('../dist/main.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('/dist/main.js')) {
    process.stderr.write('ucop: the CLI is not built (no dist/ next to bin/): run `npm run build` in the repository\n');
    process.exit(1);
  }
  throw error;
}
