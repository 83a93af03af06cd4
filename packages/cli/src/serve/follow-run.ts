import { UcopError } from '@ucop/core';
import type { DaemonClient, RunView } from '@ucop/server/client';
import { isFinalState } from '@ucop/server/client';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CliIO } from '../cli-io.ts';
import { formatClientEvent } from './daemon-connection.ts';

/** How long `--wait`/`--follow` keep trying a daemon that went away (a restart) before giving up. */
const UNREACHABLE_GRACE_MS = 120_000;

/**
 * Follows a run's event stream until it is final, printing each event with `print` (nothing when undefined).
 * A stream that ends early (the daemon drains or restarts: the run goes back to the queue and resumes) is
 * opened again; a daemon that stays unreachable past two minutes is an error.
 */
export async function followRun(io: CliIO, client: DaemonClient, id: string, print: ((line: string) => void) | undefined): Promise<RunView> {
  let unreachableSince: number | undefined;
  for (;;) {
    try {
      for await (const event of client.events(id, io.signal)) {
        const line = formatClientEvent(event);
        if (line !== undefined) print?.(line);
      }
      const { run } = await client.show(id, io.signal);
      unreachableSince = undefined;
      if (isFinalState(run.state as Parameters<typeof isFinalState>[0])) return run;
    } catch (error) {
      if (io.signal.aborted) throw error;
      if (!(error instanceof UcopError) || error.code !== 'SERVER_UNREACHABLE') throw error;
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince > UNREACHABLE_GRACE_MS) throw error;
    }
    await sleep(500, undefined, { signal: io.signal });
  }
}
