import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStubLlmServer } from '../../../packages/agents/src/providers/testing/stub-llm-server.ts';
import type { StubLlmServer } from '../../../packages/agents/src/providers/testing/stub-llm-server.ts';
import { runUcop } from '../cli/ucop-process.ts';
import { createLlmProject, stubProviders } from './llm-project.ts';
import type { LlmProject } from './llm-project.ts';

// `llm.generate` with `output_schema` through `ucop run` against the stub OpenAI-compatible server: the
// server's log shows how many calls were made and what the corrections said.
const WORKFLOW = `version: 1
name: structured
steps:
  plan:
    agent: llm.generate
    provider: stub
    with:
      prompt: List two chapters
      output_schema: schemas/plan.json
  each:
    agent: llm.generate
    provider: stub
    for_each: \${{ steps.plan.output.chapters }}
    with: { prompt: "Summarise \${{ item }}" }
`;
const SCHEMA = JSON.stringify({ type: 'object', required: ['chapters'], additionalProperties: false, properties: { chapters: { type: 'array', minItems: 2, items: { type: 'string' } } } });

let stub: StubLlmServer;
let project: LlmProject;
let answers: string[] = [];
beforeAll(async () => {
  // Answers by completion number (seq also counts the provider probe's GET /models).
  stub = await startStubLlmServer({
    behaviour: () => {
      const n = stub.completions().length - 1;
      return { kind: 'ok', text: answers[n] ?? `answer ${n}` };
    },
  });
});
afterAll(async () => {
  await stub.close();
});
afterEach(() => {
  project.remove();
  stub.reset();
});

async function run(): Promise<{ code: number | null; record: { status: string; errors: { code: string }[] }; stdout: string; stderr: string }> {
  project = createLlmProject(stubProviders(stub.baseUrl, [{ name: 'stub' }]));
  project.write('workflows/structured.yaml', WORKFLOW);
  project.write('schemas/plan.json', SCHEMA);
  const result = await runUcop(['run', 'workflows/structured.yaml', '-o', 'out', '--quiet'], { cwd: project.dir });
  const record = JSON.parse(readFileSync(join(project.dir, 'out', 'run.json'), 'utf8')) as { status: string; errors: { code: string }[] };
  return { ...result, record };
}

describe('llm.generate with output_schema, end to end', () => {
  it('an answer that breaks the schema is asked again with the errors; the correct one feeds the fan-out', async () => {
    answers = ['{"chapters": "one"}', '{"chapters": ["One", "Two"]}'];
    const { code, record, stderr } = await run();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(record.status).toBe('succeeded');
    const prompts = stub.completions().map((r) => r.prompt ?? '');
    expect(prompts).toHaveLength(4);
    expect(prompts[1]).toContain('did not match the required JSON Schema');
    expect(prompts[1]).toContain('/chapters must be array');
    expect(prompts.slice(2).sort()).toEqual(['Summarise One', 'Summarise Two']);
  });

  it('three bad answers fail the step with LLM_OUTPUT_INVALID (exit 4)', async () => {
    answers = ['not json', '{"chapters": []}', '{"chapters": [1, 2]}'];
    const { code, record } = await run();
    expect(code).toBe(4);
    expect(record.status).toBe('failed');
    expect(record.errors.map((e) => e.code)).toContain('LLM_OUTPUT_INVALID');
    expect(stub.completions()).toHaveLength(3);
  });

  it('validate catches a for_each over a field the schema does not declare', async () => {
    project = createLlmProject(stubProviders(stub.baseUrl, [{ name: 'stub' }]));
    project.write('workflows/structured.yaml', WORKFLOW.replace('steps.plan.output.chapters', 'steps.plan.output.chapterz'));
    project.write('schemas/plan.json', SCHEMA);
    const result = await runUcop(['validate', 'workflows/structured.yaml'], { cwd: project.dir });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).toContain('UNKNOWN_STEP_REF');
    expect(stub.completions()).toHaveLength(0);
  });
});
