/**
 * The catalogue of `ucop` commands: what `ucop --help` lists, and where each command's real definition is
 * loaded from. Only the command that is being run is loaded: its module pulls in the engine, the agents and
 * their libraries, which `ucop --version`, `ucop --help` and every other command must not pay for at start-up.
 */
import type { Command } from 'commander';
import type { CommandContext } from './command-context.ts';

/** Registers a command's real definition (options, arguments, action) on the program. */
export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

/** One entry of the catalogue. */
export interface CatalogEntry {
  /** The command's name, as typed after `ucop`. */
  name: string;
  /** Its arguments as commander writes them (`<workflow>`), shown in `ucop --help`. */
  args: string;
  /** The one-line description; the real definition uses the same text (a test keeps them equal). */
  description: string;
  /** Loads the module that registers the real definition. */
  load(): Promise<RegisterCommand>;
}

/** Every command, in the order `ucop --help` lists them. */
export const COMMAND_CATALOG: readonly CatalogEntry[] = [
  {
    name: 'init',
    args: '[dir]',
    description: 'write a starter workflow, a providers file and a commented configuration into a project',
    load: async () => (await import('./commands/init.ts')).registerInitCommand,
  },
  {
    name: 'validate',
    args: '<files...>',
    description: 'check workflow files: schema, references, agents, cycles, state races',
    load: async () => (await import('./commands/validate.ts')).registerValidateCommand,
  },
  {
    name: 'plan',
    args: '<file>',
    description: 'show the parallel groups, critical path, lower bound and estimated speedup of a workflow',
    load: async () => (await import('./commands/plan.ts')).registerPlanCommand,
  },
  {
    name: 'graph',
    args: '<file>',
    description: 'print the step graph of a workflow as Mermaid or Graphviz DOT',
    load: async () => (await import('./commands/graph.ts')).registerGraphCommand,
  },
  {
    name: 'run',
    args: '<workflow>',
    description: 'run a workflow; writes <out>/run.json and each step output under <out>/steps/',
    load: async () => (await import('./commands/run.ts')).registerRunCommand,
  },
  {
    name: 'outputs',
    args: '<dir> [unit]',
    description: "print a run's step outputs from its journal (one unit, or all as JSON lines), or --write its steps/ files",
    load: async () => (await import('./commands/outputs.ts')).registerOutputsCommand,
  },
  {
    name: 'worker',
    args: '',
    description: 'take steps of distributed runs from Redis (BullMQ) and run them; see `ucop run --executor bullmq`',
    load: async () => (await import('./commands/worker.ts')).registerWorkerCommand,
  },
  {
    name: 'generate',
    args: '',
    description: 'turn a markdown article into a blog post (offline unless a provider is configured)',
    load: async () => (await import('./commands/generate.ts')).registerGenerateCommand,
  },
  {
    name: 'report',
    args: '<run-dir>',
    description: 'write an HTML report of a run (a timeline of its steps, waits and critical path; usage; errors); opens offline',
    load: async () => (await import('./commands/report.ts')).registerReportCommand,
  },
  {
    name: 'agents',
    args: '[name]',
    description: 'list the available agents with their inputs and outputs; with a name, what each input and output means',
    load: async () => (await import('./commands/agents.ts')).registerAgentsCommand,
  },
  {
    name: 'config',
    args: '',
    description: 'inspect the configuration',
    load: async () => (await import('./commands/config-show.ts')).registerConfigCommand,
  },
  {
    name: 'schema',
    args: '',
    description: 'print the JSON Schema of workflow files (for editors and other tools)',
    load: async () => (await import('./commands/schema.ts')).registerSchemaCommand,
  },
  {
    name: 'serve',
    args: '',
    description: 'run the daemon: a durable queue of submitted runs, a pool running them, and an HTTP API (see RUNBOOK.md)',
    load: async () => (await import('./commands/serve.ts')).registerServeCommand,
  },
  {
    name: 'submit',
    args: '<workflow>',
    description: 'queue a run of a workflow on the daemon (ucop serve); with --wait, follow it and exit as ucop run would',
    load: async () => (await import('./commands/submit.ts')).registerSubmitCommand,
  },
  {
    name: 'runs',
    args: '',
    description: "list and follow the daemon's runs: list, show, cancel, delete, logs [--follow]",
    load: async () => (await import('./commands/runs.ts')).registerRunsCommand,
  },
  {
    name: 'verify',
    args: '',
    description: 'check the installation and your workflows: versions, validation, engine parity, exactly-once, timeouts, fail-fast, resume, speedup',
    load: async () => (await import('./commands/verify.ts')).registerVerifyCommand,
  },
  {
    name: 'bench',
    args: '',
    description: 'measure the engine on the standard workloads: speedup, ratio to the lower bound, overhead',
    load: async () => (await import('./commands/bench.ts')).registerBenchCommand,
  },
];

/** Options of the program itself that take a value: their value is not a command name. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['-c', '--config', '--max-workflow-bytes', '--max-config-bytes']);

/**
 * The command that `argv` asks for (also through `ucop help <command>`), or undefined for the program itself
 * (`--help`, `--version`, nothing, or an unknown name that commander will report).
 */
export function requestedCommand(argv: readonly string[]): CatalogEntry | undefined {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--') return undefined;
    if (GLOBAL_OPTIONS_WITH_VALUE.has(token)) {
      i++;
      continue;
    }
    if (token.startsWith('-')) continue;
    const name = token === 'help' ? argv[i + 1] : token;
    return COMMAND_CATALOG.find((entry) => entry.name === name);
  }
  return undefined;
}
