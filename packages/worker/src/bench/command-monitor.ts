import { connect } from 'node:net';
import type { Socket } from 'node:net';

export interface CommandCount {
  /** Commands clients sent (network round trips). */
  roundTrips: number;
  /** Commands run inside Lua scripts. */
  inScripts: number;
  byCommand: Record<string, number>;
}

/**
 * Counts the commands Redis runs that mention `needle` (this queue's name), through MONITOR on a plain
 * socket (one `+<time> [<db> <source>] "<command>" ...` line per command; `<source>` is `lua` inside
 * scripts). Other users of the same Redis are not counted. A plain socket rather than ioredis' monitor mode,
 * whose switch into MONITOR races with the first lines it receives.
 */
export async function monitorCommands(url: string, needle: string): Promise<{ stop(): CommandCount }> {
  const parsed = new URL(url);
  const socket: Socket = connect(Number(parsed.port || 6379), parsed.hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const count: CommandCount = { roundTrips: 0, inScripts: 0, byCommand: {} };
  let buffered = '';
  let started = false;
  let onStarted: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onStarted = resolve));
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\r\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      if (!started) {
        if (line === '+OK') {
          started = true;
          onStarted();
        }
        continue;
      }
      if (!line.includes(needle)) continue;
      const match = /^\+\S+ \[\d+ (\S+)\] "([^"]+)"/.exec(line);
      if (!match) continue;
      if (match[1] === 'lua') count.inScripts++;
      else {
        count.roundTrips++;
        const name = match[2]!.toLowerCase();
        count.byCommand[name] = (count.byCommand[name] ?? 0) + 1;
      }
    }
  });
  const auth = parsed.password ? `AUTH ${parsed.username ? `${decodeURIComponent(parsed.username)} ` : ''}${decodeURIComponent(parsed.password)}\r\n` : '';
  socket.write(`${auth}MONITOR\r\n`);
  await ready;
  return {
    stop() {
      socket.destroy();
      return count;
    },
  };
}
