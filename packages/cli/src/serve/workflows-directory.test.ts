import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedIO } from '../cli-io.ts';
import { loadProjectContext } from '../project-context.ts';
import { WorkflowsDirectory } from './workflows-directory.ts';

let dir: string;
let workflows: WorkflowsDirectory;
const signal = new AbortController().signal;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-wfdir-'));
  mkdirSync(join(dir, 'flows'));
  writeFileSync(
    join(dir, 'flows/hello.yaml'),
    'version: 1\nname: hello\ndescription: says hello\ninputs:\n  n: { type: integer, required: true, description: how many }\n  tags: { type: array, items: { type: string }, default: [] }\nsteps:\n  a: { agent: sim.noop }\n',
  );
  // A workflow written as JSON is offered like a YAML one; of two files with one name, the .yaml is used.
  writeFileSync(join(dir, 'flows/generated.json'), JSON.stringify({ version: 1, name: 'generated', steps: { a: { agent: 'sim.noop' } } }));
  writeFileSync(join(dir, 'flows/hello.json'), JSON.stringify({ version: 1, name: 'shadowed', description: 'never used', steps: { a: { agent: 'sim.noop' } } }));
  writeFileSync(join(dir, 'flows/broken.yaml'), 'version: 1\nname: broken\nsteps:\n  a: { agent: no.such.agent }\n');
  writeFileSync(join(dir, 'secret.yaml'), 'version: 1\nname: outside\nsteps:\n  a: { agent: sim.noop }\n');
  const io = capturedIO({ cwd: dir });
  workflows = new WorkflowsDirectory(join(dir, 'flows'), await loadProjectContext(io, {}), io);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the daemon\'s workflows directory', () => {
  it('lists the valid workflows by file name (.yaml, .yml, .json), with their inputs', async () => {
    expect(await workflows.list(signal)).toEqual([
      { name: 'generated', inputs: {} },
      { name: 'hello', description: 'says hello', inputs: { n: { type: 'integer', required: true, description: 'how many' }, tags: { type: 'array', required: false } } },
    ]);
  });

  it('parses key=value inputs by their declared type, and refuses missing or mistyped ones', async () => {
    expect(await workflows.prepare('hello', { values: {}, assignments: ['n=3', 'tags=a,b'] }, signal)).toEqual({ n: 3, tags: ['a', 'b'] });
    expect(await workflows.prepare('hello', { values: { n: 2 }, assignments: [] }, signal)).toEqual({ n: 2 });
    await expect(workflows.prepare('hello', { values: {}, assignments: [] }, signal)).rejects.toMatchObject({ code: 'INPUT_MISSING' });
    await expect(workflows.prepare('hello', { values: { n: 'x' }, assignments: [] }, signal)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(workflows.prepare('hello', { values: {}, assignments: ['n=3', 'nope=1'] }, signal)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('never resolves a name outside the directory, and reports an invalid workflow with its diagnostics', async () => {
    for (const name of ['../secret', 'secret', '/etc/passwd', 'flows/hello', '']) {
      await expect(workflows.plan(name, signal), name).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    }
    await expect(workflows.plan('broken', signal)).rejects.toMatchObject({ code: 'UNKNOWN_AGENT' });
  });

  it('keeps a plan compiled until its file changes', async () => {
    const first = await workflows.plan('hello', signal);
    expect(await workflows.plan('hello', signal)).toBe(first);
    writeFileSync(join(dir, 'flows/hello.yaml'), 'version: 1\nname: hello\ndescription: changed\nsteps:\n  a: { agent: sim.noop }\n  b: { agent: sim.noop }\n');
    const changed = await workflows.plan('hello', signal);
    expect(changed.order).toEqual(['a', 'b']);
  });
});
