import type { Command } from 'commander';
import type { CliIO } from './cli-io.ts';

/** What every command gets: the I/O and a place to put its exit code. */
export interface CommandContext {
  io: CliIO;
  /** Records the process exit code; the last command to finish decides it. */
  setExitCode(code: number): void;
}

/** Options every command inherits from the program (`ucop --config path <command>`). */
export interface GlobalOptions {
  config?: string;
  /** `--max-workflow-bytes`, as given (parsed by fileLimitsLayer). */
  maxWorkflowBytes?: string;
  /** `--max-config-bytes`, as given. */
  maxConfigBytes?: string;
}

export function globalOptions(command: Command): GlobalOptions {
  const opts = command.optsWithGlobals<GlobalOptions>();
  return {
    ...(opts.config === undefined ? {} : { config: opts.config }),
    ...(opts.maxWorkflowBytes === undefined ? {} : { maxWorkflowBytes: opts.maxWorkflowBytes }),
    ...(opts.maxConfigBytes === undefined ? {} : { maxConfigBytes: opts.maxConfigBytes }),
  };
}
