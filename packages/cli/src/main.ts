/**
 * The process side of the CLI: wires the real streams, environment and signals to `runCli`, then sets the
 * exit code. The first Ctrl-C cancels the run (it stops and records `cancelled`); a second one exits at once.
 */
import { UcopError } from '@ucop/core/errors';
import { runCli } from './program.ts';

const controller = new AbortController();
const onSignal = (signal: NodeJS.Signals): void => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new UcopError('RUN_CANCELLED', `interrupted by ${signal}; run again with --resume to continue`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
process.exitCode = code;
// An exporter or a provider socket left open must not keep a finished command alive; the timer is unref'd,
// so a process with nothing left to do exits at once without waiting for it.
setTimeout(() => process.exit(code), 2000).unref();
