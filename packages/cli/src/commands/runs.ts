import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { positiveInteger } from '../option-parsers.ts';
import { connect, connectionOptions, formatRunLine } from '../serve/daemon-connection.ts';
import type { ConnectionOptions } from '../serve/daemon-connection.ts';

interface ListOptions extends ConnectionOptions {
  state?: string;
  workflow?: string;
  limit?: number;
  json?: boolean;
}

interface RecordStep {
  id: string;
  itemIndex?: number;
  status: string;
  durationMs?: number;
  resumed?: boolean;
  error?: { code: string; message: string };
}

/** `ucop runs list|show|cancel|delete|logs`: the daemon's runs, from the command line. */
export function registerRunsCommand(program: Command, ctx: CommandContext): void {
  const runs = program.command('runs').description("list and follow the daemon's runs: list, show, cancel, delete, logs [--follow]");
  const { io } = ctx;

  connectionOptions(
    runs
      .command('list')
      .description('runs, newest first')
      .option('--state <state>', 'only runs in this state')
      .option('--workflow <name>', 'only runs of this workflow')
      .option('--limit <n>', 'at most this many', positiveInteger, 50)
      .option('--json', 'as JSON'),
  ).action(async (options: ListOptions) => {
    const client = await connect(io, options);
    const list = await client.list({ ...(options.state ? { state: options.state } : {}), ...(options.workflow ? { workflow: options.workflow } : {}), limit: options.limit ?? 50 }, io.signal);
    io.stdout.write(options.json ? `${JSON.stringify(list, null, 2)}\n` : list.map((r) => `${formatRunLine(r)}\n`).join(''));
  });

  connectionOptions(runs.command('show').description('a run: its state and its record').argument('<id>', 'run id').option('--json', 'as JSON')).action(
    async (id: string, options: ConnectionOptions & { json?: boolean }) => {
      const client = await connect(io, options);
      const shown = await client.show(id, io.signal);
      if (options.json) {
        io.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
        return;
      }
      const { run, record } = shown;
      const lines = [`run ${run.id}`, `  workflow   ${run.workflow}`, `  state      ${run.state}`, `  submitted  ${run.submittedAt}`];
      if (run.startedAt) lines.push(`  started    ${run.startedAt}`);
      if (run.finishedAt) lines.push(`  finished   ${run.finishedAt}`);
      if (run.claims > 1) lines.push(`  resumed    ${run.claims - 1} time(s)`);
      if (run.error) lines.push(`  error      ${run.error}`);
      for (const step of ((record?.['steps'] as RecordStep[] | undefined) ?? [])) {
        const unit = step.itemIndex === undefined ? step.id : `${step.id}[${step.itemIndex}]`;
        lines.push(`  ${step.status.padEnd(10)} ${unit}${step.resumed ? ' (resumed)' : ''}${step.error ? `  ${step.error.code} ${step.error.message}` : ''}`);
      }
      io.stdout.write(`${lines.join('\n')}\n`);
    },
  );

  connectionOptions(runs.command('cancel').description('cancel a queued or running run').argument('<id>', 'run id')).action(async (id: string, options: ConnectionOptions) => {
    const client = await connect(io, options);
    const run = await client.cancel(id, io.signal);
    io.stdout.write(`${run.id} ${run.state}\n`);
  });

  connectionOptions(runs.command('delete').description('delete a finished run and its directory').argument('<id>', 'run id')).action(async (id: string, options: ConnectionOptions) => {
    const client = await connect(io, options);
    await client.delete(id, io.signal);
    io.stdout.write(`${id} deleted\n`);
  });

  connectionOptions(
    runs
      .command('logs')
      .description("a run's events; with --follow, live until it ends")
      .argument('<id>', 'run id')
      .option('-f, --follow', 'keep following until the run is final'),
  ).action(async (id: string, options: ConnectionOptions & { follow?: boolean }) => {
    const client = await connect(io, options);
    if (options.follow) {
      const { followRun } = await import('../serve/follow-run.ts');
      const run = await followRun(io, client, id, (line) => io.stdout.write(`${line}\n`));
      const { exitCodeForState } = await import('./submit.ts');
      ctx.setExitCode(exitCodeForState(run.state));
      return;
    }
    // Without --follow: the events the daemon has kept so far, and the run's state now.
    const { formatClientEvent } = await import('../serve/daemon-connection.ts');
    for await (const event of client.events(id, io.signal, { follow: false })) {
      const line = formatClientEvent(event);
      if (line !== undefined) io.stdout.write(`${line}\n`);
    }
  });
}
