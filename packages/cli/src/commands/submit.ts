import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { exitCodeForRunStatus } from '../exit-status.ts';
import { collect } from '../option-parsers.ts';
import { connect, connectionOptions } from '../serve/daemon-connection.ts';
import type { ConnectionOptions } from '../serve/daemon-connection.ts';

interface SubmitCommandOptions extends ConnectionOptions {
  input?: string[];
  priority: number;
  idempotencyKey?: string;
  wait?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** The exit code of a daemon run's final state, as `ucop run` would exit for the same run. */
export function exitCodeForState(state: string): number {
  if (state === 'succeeded' || state === 'failed' || state === 'cancelled' || state === 'timed_out') return exitCodeForRunStatus(state);
  return exitCodeForRunStatus('failed'); // dead_letter
}

function priorityValue(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || n < -1000 || n > 1000) throw new InvalidArgumentError('expected a whole number from -1000 to 1000');
  return n;
}

/**
 * `ucop submit <workflow>`: queues a run on the daemon and prints its id; with --wait follows it to the end
 * and exits as `ucop run` would for it (0 succeeded, 4 failed or cancelled, 5 timed out).
 */
export function registerSubmitCommand(program: Command, ctx: CommandContext): void {
  const submit = program
    .command('submit')
    .description('queue a run of a workflow on the daemon (ucop serve); with --wait, follow it and exit as ucop run would')
    .argument('<workflow>', "a workflow of the daemon's workflows directory, by name (file name without .yaml)")
    .option('-i, --input <key=value>', 'a workflow input, parsed by its declared type on the daemon (repeatable)', collect)
    .option('--priority <n>', 'higher runs first (-1000 to 1000)', priorityValue, 0)
    .option('--idempotency-key <key>', 'the same key again gives the same run, also after it finished')
    .option('--wait', 'follow the run to its end; exit with its exit code')
    .option('--json', 'print the run (at the end with --wait) as JSON')
    .option('-q, --quiet', 'with --wait, no event lines');
  connectionOptions(submit).action(async (workflow: string, options: SubmitCommandOptions) => {
    const { io } = ctx;
    const client = await connect(io, options);
    const priority = options.priority;
    const { run, created } = await client.submit(
      { workflow, assignments: options.input ?? [], priority, ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}) },
      io.signal,
    );
    if (!options.wait) {
      io.stdout.write(options.json ? `${JSON.stringify({ run, created }, null, 2)}\n` : `${run.id}\n`);
      if (!created && !options.json) io.stderr.write(`ucop: idempotency key already used: run ${run.id} (${run.state})\n`);
      return;
    }
    if (!options.json) io.stderr.write(`ucop: run ${run.id} ${created ? 'submitted' : '(existing, same idempotency key)'}\n`);
    const { followRun } = await import('../serve/follow-run.ts');
    const final = await followRun(io, client, run.id, options.quiet || options.json ? undefined : (line) => io.stderr.write(`${line}\n`));
    io.stdout.write(options.json ? `${JSON.stringify({ run: final }, null, 2)}\n` : `${final.id} ${final.state}\n`);
    ctx.setExitCode(exitCodeForState(final.state));
  });
}
