/**
 * The process side of the CLI: wires the real streams, environment and signals to `runCli`, then sets the
 * exit code. The first Ctrl-C (or SIGTERM) cancels the run: it stops and records `cancelled`. The second
 * one abandons the steps still running, so the record is written at once, and the exit code is 130. A
 * third one exits at once. A closed stdout or stderr (`ucop --help | head -1`) ends that output quietly.
 */
import { UcopError } from '@ucop/core/errors';
import { quietOnClosedPipe } from './closed-pipe.ts';
import { runCli } from './program.ts';

const controller = new AbortController();
const urgent = new AbortController();
let interrupts = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  interrupts += 1;
  if (interrupts === 1) controller.abort(new UcopError('RUN_CANCELLED', `interrupted by ${signal}; run again with --resume to continue`));
  else if (interrupts === 2) {
    urgent.abort(new UcopError('RUN_CANCELLED', `interrupted twice by ${signal}`));
    // An agent that blocks the event loop or a disk that hangs must not keep the process forever.
    setTimeout(() => process.exit(130), 10_000).unref();
  } else process.exit(130);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const stderr = quietOnClosedPipe(process.stderr);
const code = await runCli(process.argv.slice(2), {
  stdout: quietOnClosedPipe(process.stdout, (message) => stderr.write(message)),
  stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
  urgentSignal: urgent.signal,
});
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
const exitCode = urgent.signal.aborted ? 130 : code;
process.exitCode = exitCode;
// An exporter or a provider socket left open must not keep a finished command alive; the timer is unref'd,
// so a process with nothing left to do exits at once without waiting for it.
setTimeout(() => process.exit(exitCode), 2000).unref();
