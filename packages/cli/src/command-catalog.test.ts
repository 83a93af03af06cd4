import { describe, it, expect } from 'vitest';
import { capturedIO } from './cli-io.ts';
import { COMMAND_CATALOG, requestedCommand } from './command-catalog.ts';
import { buildProgram } from './program.ts';

describe('the command catalogue', () => {
  it('lists every command with the name, arguments and description of its real definition', async () => {
    const program = await buildProgram({ io: capturedIO({ cwd: process.cwd() }), setExitCode: () => undefined });
    const real = program.commands.map((c) => ({ name: c.name(), description: c.description(), args: c.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)).join(' ') }));
    expect(real).toEqual(COMMAND_CATALOG.map((e) => ({ name: e.name, description: e.description, args: e.args })));
  });

  it.each([
    [['run', 'x.yaml'], 'run'],
    [['-c', 'config/main.yaml', 'validate', 'x.yaml'], 'validate'],
    [['--config', 'run', 'plan', 'x.yaml'], 'plan'],
    [['help', 'generate'], 'generate'],
    [['config', 'show'], 'config'],
    [['--version'], undefined],
    [['--help'], undefined],
    [[], undefined],
    [['nosuch'], undefined],
    [['--', 'run'], undefined],
  ])('%j asks for %s', (argv, name) => {
    expect(requestedCommand(argv)?.name).toBe(name);
  });

  it('--version and --help load no command module', async () => {
    // Only the catalogue's entries whose module was loaded have a real action; the others are listed only.
    const io = capturedIO({ cwd: process.cwd() });
    const program = await buildProgram({ io, setExitCode: () => undefined }, []);
    expect(program.commands.every((c) => c.options.length === 0)).toBe(true);
  });
});
