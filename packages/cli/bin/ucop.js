#!/usr/bin/env node
// The ucop binary. The CLI is TypeScript run directly by Node 24 (type stripping), so an older Node must be
// stopped here, before anything imports a .ts file, with a message that says what to do.
import module from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (!(major >= 24)) {
  process.stderr.write(
    `ucop: Node.js 24 or newer is required (this is Node ${process.versions.node}).\n` +
      `Run it through npx (\`npx ucop ...\`), which uses the project's pinned Node 24, or install Node 24.\n`,
  );
  process.exit(1);
}
// Caches compiled modules on disk (in the OS temp directory): every command loads the whole of core and
// agents, and compiling them again on each start is most of the start-up time.
module.enableCompileCache?.();
await import('../src/main.ts');
