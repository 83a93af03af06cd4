import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { compileWorkflow } from '../plan/compile-workflow.ts';
import { loadWorkflowFile, validateWorkflowSource } from './validate-workflow.ts';
import { blogAgents } from './testing/fake-agents.ts';
import type * as FastPathModule from './yaml-json-fast-path.ts';
import { YamlSourceMap } from './yaml-source-map.ts';

// The fast path can be switched off here, so that the same JSON text is validated both ways; `taken` counts
// the texts it read, so that a test knows which way a text went.
const fastPath = vi.hoisted(() => ({ on: true, taken: 0 }));
vi.mock('./yaml-json-fast-path.ts', async (importOriginal) => {
  const original = await importOriginal<typeof FastPathModule>();
  return {
    ...original,
    jsonFastPathValue: (source: string, maxDepth: number) => {
      if (!fastPath.on) return undefined;
      const value = original.jsonFastPathValue(source, maxDepth);
      if (value !== undefined) fastPath.taken++;
      return value;
    },
  };
});

beforeEach(() => {
  fastPath.on = true;
  fastPath.taken = 0;
});

const agents = blogAgents();

/** A JSON workflow as a program would write it, with `steps` given as an object. */
function jsonWorkflow(steps: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ version: 1, name: 'generated', state: { title: { reducer: 'replace' } }, ...extra, steps }, null, 2)}\n`;
}

/** The validation of `text` through the fast path and through `yaml` alone. */
function bothWays(text: string, file = 'wf.json') {
  fastPath.on = true;
  const fast = validateWorkflowSource(text, file, { agents });
  const taken = fastPath.taken;
  fastPath.on = false;
  const slow = validateWorkflowSource(text, file, { agents });
  return { fast, slow, taken };
}

describe('JSON workflows', () => {
  it('validates and compiles a valid JSON workflow without yaml ever parsing it', () => {
    const text = jsonWorkflow({
      outline: { agent: 'writer.outline', writes: ['title'] },
      check: { agent: 'code.validate', needs: ['outline'], with: { code: '${{ steps.outline.output.title }}' } },
      group: { steps: { inner: { agent: 'code.validate' } } },
    });
    const { workflow, diagnostics } = validateWorkflowSource(text, 'wf.json', { agents });
    expect(diagnostics).toEqual([]);
    expect(fastPath.taken).toBe(1);
    const plan = compileWorkflow(workflow!, { agents });
    expect(Object.keys(plan.steps)).toContain('check');
    expect(workflow!.sourceMap).toBeInstanceOf(YamlSourceMap);
    expect((workflow!.sourceMap as YamlSourceMap).documentParsed).toBe(false);
  });

  it('reports an unknown agent, an unknown key and a cycle at the same file:line:col as the yaml path', () => {
    const text = jsonWorkflow({
      a: { agent: 'code.validat', needs: ['c'] },
      b: { agent: 'code.validate', needs: ['a'], agnet: 'x' },
      c: { agent: 'code.validate', needs: ['b'] },
    });
    const { fast, slow, taken } = bothWays(text);
    expect(taken).toBe(1);
    expect(fast.diagnostics.map((d) => d.code).sort()).toEqual(['DAG_CYCLE', 'UNKNOWN_AGENT', 'UNKNOWN_KEY']);
    expect(fast.diagnostics).toEqual(slow.diagnostics);
    const unknown = fast.diagnostics.find((d) => d.code === 'UNKNOWN_AGENT')!;
    // "agent": "code.validat" is on line 11 of the indented JSON, its value at column 16.
    expect([unknown.file, unknown.line, unknown.col]).toEqual(['wf.json', 11, 16]);
  });

  it('refuses a duplicate key at its position, through yaml (JSON.parse would keep the last)', () => {
    const text = '{\n  "version": 1,\n  "name": "dup",\n  "steps": {\n    "a": {"agent": "code.validate"},\n    "a": {"agent": "writer.outline"}\n  }\n}\n';
    const { fast, slow, taken } = bothWays(text);
    expect(taken).toBe(0);
    expect(fast.diagnostics).toEqual(slow.diagnostics);
    expect(fast.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['YAML_DUPLICATE_KEY', 6, 5]]);
  });

  it('reads .json files, also as sub-workflows (`uses: ./part.json`), without parsing them with yaml', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ucop-json-'));
    await writeFile(join(dir, 'part.json'), JSON.stringify({ version: 1, name: 'part', inputs: { topic: { type: 'string', required: true } }, steps: { one: { agent: 'code.validate' } } }));
    await writeFile(join(dir, 'main.json'), JSON.stringify({ version: 1, name: 'main', steps: { call: { uses: './part.json', with: { topic: 'x' } } } }));
    const { workflow, diagnostics } = await loadWorkflowFile(join(dir, 'main.json'), { agents });
    expect(diagnostics).toEqual([]);
    expect(fastPath.taken).toBe(2);
    expect((workflow!.sourceMap as YamlSourceMap).documentParsed).toBe(false);
    const plan = compileWorkflow(workflow!, { agents });
    expect(Object.keys(plan.steps).some((id) => id.startsWith('call'))).toBe(true);

    const badText = JSON.stringify({ version: 1, name: 'bad', steps: { call: { uses: './part.json', with: { topc: 'x' } } } });
    await writeFile(join(dir, 'bad.json'), badText);
    const bad = await loadWorkflowFile(join(dir, 'bad.json'), { agents });
    // Required input missing: at the step's key; unknown input: at its key (columns are 1-based).
    expect(bad.diagnostics.map((d) => [d.code, d.file, d.line, d.col])).toEqual([
      ['AGENT_INPUT_INVALID', join(dir, 'bad.json'), 1, badText.indexOf('"call"') + 1],
      ['AGENT_INPUT_INVALID', join(dir, 'bad.json'), 1, badText.indexOf('"topc"') + 1],
    ]);
  });
});
