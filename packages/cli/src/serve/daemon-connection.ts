import type { Command } from 'commander';
import type { ClientEvent, DaemonClient, RunView } from '@ucop/server/client';
import type { CliIO } from '../cli-io.ts';

/** The options every client command has. */
export interface ConnectionOptions {
  server?: string;
  tokenFile?: string;
}

export const DEFAULT_SERVER = 'http://127.0.0.1:7070';

/** Adds `--server` and `--token-file` to a client command. */
export function connectionOptions(command: Command): Command {
  return command
    .option('--server <url>', `the daemon (default: $UCOP_SERVER or ${DEFAULT_SERVER})`)
    .option('--token-file <path>', "the daemon's token file when UCOP_TOKEN is not set (default: $UCOP_DATA_DIR/token or .ucop/token)");
}

/** A client of the daemon the options name, with the token from UCOP_TOKEN or the token file. */
export async function connect(io: CliIO, options: ConnectionOptions): Promise<DaemonClient> {
  // Loaded on use: `ucop --help` does not pay for the client.
  const { DaemonClient, resolveClientToken } = await import('@ucop/server/client');
  const token = await resolveClientToken(io.env, io.cwd, options.tokenFile);
  return new DaemonClient({ server: options.server ?? io.env['UCOP_SERVER'] ?? DEFAULT_SERVER, token });
}

/** One line per event, as `ucop runs logs` and `ucop submit --wait` print them. */
export function formatClientEvent(event: ClientEvent): string | undefined {
  if (event.kind === 'state') return `state ${event.state}`;
  const e = event.event;
  const at = `${(e.at / 1000).toFixed(1).padStart(7)}s`;
  const unit = 'stepId' in e ? (e.itemIndex === undefined ? e.stepId : `${e.stepId}[${e.itemIndex}]`) : '';
  switch (e.type) {
    case 'run.started':
      return `${at} run started: ${e.workflow}, ${e.steps} steps (${e.engine})`;
    case 'run.finished':
      return `${at} run ${e.status}`;
    case 'step.started':
      return `${at} ${unit} started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
    case 'step.succeeded':
      return `${at} ${unit} succeeded${e.resumed ? ' (resumed)' : ''}`;
    case 'step.failed':
      return `${at} ${unit} failed: ${e.error.code} ${e.error.message}`;
    case 'step.retrying':
      return `${at} ${unit} retrying in ${e.delayMs} ms: ${e.error.code}`;
    case 'step.skipped':
      return `${at} ${unit} skipped: ${e.reason}`;
    case 'step.cancelled':
      return `${at} ${unit} cancelled: ${e.reason}`;
    case 'step.expanded':
      return `${at} ${unit} expanded to ${e.items} items`;
    case 'step.ready':
      return undefined;
  }
}

/** A run as one line of `ucop runs list`. */
export function formatRunLine(run: RunView): string {
  return `${run.id}  ${run.state.padEnd(11)} ${run.workflow.padEnd(24)} ${run.submittedAt}${run.error ? `  ${run.error}` : ''}`;
}
