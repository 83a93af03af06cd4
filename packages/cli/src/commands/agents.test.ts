import { describe, it, expect } from 'vitest';
import type { AgentSummary } from './agents.ts';
import { runCliInProcess } from '../testing/run-cli-in-process.ts';


const cli = runCliInProcess;

describe('ucop agents <name>', () => {
  it('shows each input on its own line with type, required or default, limits and description', async () => {
    const { code, stdout } = await cli(['agents', 'sim.delay']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^sim\.delay \(v\d+\)\n/);
    expect(stdout).toMatch(/\n {2}ms +number; required; >= 0 - how long the simulated work takes, in ms\n/);
    // A long list of allowed values is cut, with its count.
    expect(stdout).toMatch(/\n {2}error +string; optional; one of [A-Z_, ]+, \.\.\. \(\d+ values\) - error code thrown by failing attempts\n/);
    const assemble = await cli(['agents', 'assemble.post']);
    expect(assemble.stdout).toMatch(/\n {2}max_related +integer; default 3; >= 0; <= 20 - most earlier posts in the Further reading list \(0: none\)\n/);
    expect(assemble.stdout).toMatch(/outputs \(`steps\.<id>\.output`\):\n {2}path +string\n/);
  });

  it('an unknown name is bad usage with a suggestion', async () => {
    const { code, stderr } = await cli(['agents', 'sim.dely']);
    expect(code).toBe(2);
    expect(stderr).toBe('ucop: USAGE there is no agent "sim.dely" (did you mean `sim.delay`?); `ucop agents` lists them\n');
  });

  it('--json with a name gives that agent alone, defaults included', async () => {
    const { code, stdout } = await cli(['agents', 'analyze.topics', '--json']);
    expect(code).toBe(0);
    const agent = JSON.parse(stdout) as AgentSummary;
    expect(agent.name).toBe('analyze.topics');
    expect(agent.inputs).toContainEqual(expect.objectContaining({ name: 'max_topics', type: 'integer', required: false, default: 12, constraints: '>= 1; <= 100' }));
  });

  it('the list says how to see one agent in full', async () => {
    const { stdout } = await cli(['agents']);
    expect(stdout).toMatch(/\n\d+ agents; `ucop agents <name>` says what each input and output of one means\n$/);
  });
});
