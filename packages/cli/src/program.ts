import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT_CODES } from '@ucop/core/errors';
import type { CliIO, OutputStream } from './cli-io.ts';
import { COMMAND_CATALOG, requestedCommand } from './command-catalog.ts';
import type { CatalogEntry } from './command-catalog.ts';
import type { CommandContext } from './command-context.ts';
import { EXIT_CODES_HELP, reportError } from './exit-status.ts';
import { jsonErrorDocument, wantsJson } from './json-error.ts';
import { redactingOutput } from './redacting-output.ts';

/** The CLI package's version, shown by `ucop --version`. */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Builds the `ucop` program. The commands named in `load` (default: all) get their real definitions; the
 * others are listed by name and description only, so that `ucop --help` and unknown-command suggestions work
 * without loading them. Subcommands are created with `.command()` so they inherit output and exit handling.
 */
export async function buildProgram(ctx: CommandContext, load: readonly CatalogEntry[] = COMMAND_CATALOG): Promise<Command> {
  const { io } = ctx;
  const program = new Command('ucop')
    .description('ucop: run agent pipelines described in YAML workflows, in parallel')
    .version(cliVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('-c, --config <path>', 'main configuration file (default: $UCOP_CONFIG, else ./config/main.yaml if present)')
    .option('--max-workflow-bytes <size>', 'largest workflow file, e.g. 4MiB (default: $UCOP_MAX_WORKFLOW_BYTES, else limits.max_workflow_bytes in config/main.yaml, else 1MiB)')
    .option('--max-config-bytes <size>', 'largest configuration file (default: $UCOP_MAX_CONFIG_BYTES, else limits.max_config_bytes in config/main.yaml for the providers file, else 1MiB)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run ucop --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);
  const registrations = await Promise.all(COMMAND_CATALOG.map((entry) => (load.includes(entry) ? entry.load() : undefined)));
  COMMAND_CATALOG.forEach((entry, index) => {
    const register = registrations[index];
    if (register) register(program, ctx);
    else listOnly(program, entry);
  });
  pointErrorsAtOwnHelp(program, 'ucop');
  return program;
}

/** A command shown in the help and known to suggestions, whose definition is not loaded. */
function listOnly(program: Command, entry: CatalogEntry): void {
  const command = program.command(entry.name).description(entry.description).helpOption(false).allowUnknownOption().allowExcessArguments();
  if (entry.args) command.arguments(entry.args);
  command.action(() => {
    throw new Error(`ucop: the ${entry.name} command was not loaded`);
  });
}

/**
 * A usage error in a subcommand points at that subcommand's help (`ucop run --help`), where its options are,
 * rather than at the list of commands.
 */
function pointErrorsAtOwnHelp(command: Command, path: string): void {
  for (const sub of command.commands) {
    const subPath = `${path} ${sub.name()}`;
    sub.showHelpAfterError(`(run ${subPath} --help for usage)`);
    pointErrorsAtOwnHelp(sub, subPath);
  }
}

/**
 * Runs the CLI on `argv` (without the node and script paths) and returns the exit code. Never calls
 * `process.exit`: the binary does that, tests read the code.
 */
export async function runCli(argv: readonly string[], given: CliIO): Promise<number> {
  const io: CliIO = { ...given, stdout: redactingOutput(given.stdout), stderr: redactingOutput(given.stderr) };
  let exitCode: number = EXIT_CODES.success;
  let wroteStdout = false;
  const stdout: OutputStream = {
    write(chunk: string) {
      wroteStdout = true;
      return io.stdout.write(chunk);
    },
    ...(io.stdout.isTTY !== undefined ? { isTTY: io.stdout.isTTY } : {}),
    ...(io.stdout.columns !== undefined ? { columns: io.stdout.columns } : {}),
  };
  try {
    const requested = requestedCommand(argv);
    const program = await buildProgram(
      {
        io: { ...io, stdout },
        setExitCode(code) {
          exitCode = code;
        },
      },
      requested ? [requested] : [],
    );
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    let code: number;
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every other commander error (unknown command or option, missing or
      // invalid argument, no command at all) is bad usage. Commander has already printed its message.
      code = error.exitCode === 0 ? EXIT_CODES.success : EXIT_CODES.usage;
    } else {
      code = reportError(io, error);
    }
    if (code !== EXIT_CODES.success && !wroteStdout && wantsJson(argv)) io.stdout.write(`${JSON.stringify(jsonErrorDocument(error, code), null, 2)}\n`);
    return code;
  }
}
