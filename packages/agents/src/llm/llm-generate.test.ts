import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentRegistry, isUcopError, validateWorkflowSource } from '@ucop/core';
import type { LlmRequest } from '@ucop/core';
import { createOfflineAdapter } from '../offline/offline-adapter.ts';
import { scriptedAdapter } from '../providers/testing/scripted-adapter.ts';
import { adapterClient, createFakeContext } from '../testing/fake-context.ts';
import type { FakeContext } from '../testing/fake-context.ts';
import { schemaErrors } from './output-schema.ts';
import { createLlmGenerateAgent } from './llm-generate.ts';

const schema = {
  type: 'object',
  required: ['items'],
  additionalProperties: false,
  properties: { items: { type: 'array', minItems: 2, items: { type: 'object', required: ['title', 'score'], properties: { title: { type: 'string' }, score: { type: 'integer', minimum: 1 } } } } },
};

let fake: FakeContext | undefined;
afterEach(async () => {
  await fake?.dispose();
  fake = undefined;
});

async function run(input: Record<string, unknown>, answers?: string[], projectDir?: string) {
  const requests: LlmRequest[] = [];
  const adapter = answers ? scriptedAdapter('stub', answers.map((text) => ({ kind: 'answer' as const, text }))) : createOfflineAdapter();
  fake = await createFakeContext({ llm: adapterClient(adapter, requests) });
  const agent = createLlmGenerateAgent(projectDir === undefined ? {} : { projectDir });
  const output = await agent.run(fake.ctx, input as never).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return { output, requests };
}

describe('llm.generate', () => {
  it('text: sends prompt, system, model, temperature, max tokens and stop; says who answered', async () => {
    const { output, requests } = await run({ prompt: 'Say hi', system: 'Be brief', model: 'm2', temperature: 0.2, max_tokens: 40, stop: 'END' }, ['hi']);
    expect(output).toEqual({ ok: true, value: { text: 'hi', provider: 'stub', model: 'stub-model', offline: false } });
    expect(requests[0]).toMatchObject({ prompt: 'Say hi', system: 'Be brief', model: 'm2', temperature: 0.2, maxTokens: 40, stop: ['END'] });
  });

  it('an answer that breaks the schema is asked for again with the errors; a correct one passes', async () => {
    const good = JSON.stringify({ items: [{ title: 'a', score: 1 }, { title: 'b', score: 2 }] });
    const { output, requests } = await run({ prompt: 'List', output_schema: schema }, ['{"items": [{"title": 3}]}', good]);
    expect(output).toEqual({ ok: true, value: JSON.parse(good) });
    expect(requests).toHaveLength(2);
    expect(requests[0]!.outputSchema).toEqual(schema);
    expect(requests[1]!.prompt).toContain('did not match the required JSON Schema');
    expect(requests[1]!.prompt).toContain('/items must NOT have fewer than 2 items');
    expect(requests[1]!.prompt).toContain("/items/0 must have required property 'score'");
  });

  it('three bad answers fail with LLM_OUTPUT_INVALID, not retryable, with the last errors', async () => {
    const { output, requests } = await run({ prompt: 'List', output_schema: schema }, ['not json', '{"items": []}', '{"items": 1}']);
    expect(requests).toHaveLength(3);
    expect(output.ok).toBe(false);
    const error = (output as { error: unknown }).error;
    expect(isUcopError(error) && error.code).toBe('LLM_OUTPUT_INVALID');
    expect(isUcopError(error) && error.retryable).toBe(false);
    expect(isUcopError(error) && error.fields.errors).toEqual(['/items must be array']);
    expect(requests[1]!.prompt).toContain('the answer is not valid JSON');
  });

  it('max_attempts bounds the calls', async () => {
    const { output, requests } = await run({ prompt: 'List', output_schema: schema, max_attempts: 1 }, ['{}']);
    expect(output.ok).toBe(false);
    expect(requests).toHaveLength(1);
  });

  it('offline: a deterministic instance that validates, whose strings say offline', async () => {
    const first = await run({ prompt: 'List', output_schema: schema });
    const second = await run({ prompt: 'List', output_schema: schema });
    expect(first.output.ok && second.output.ok).toBe(true);
    const value = (first.output as { value: unknown }).value;
    expect(value).toEqual((second.output as { value: unknown }).value);
    expect(schemaErrors(schema, value)).toEqual([]);
    expect(JSON.stringify(value)).toMatch(/"title":"offline /);
    const text = await run({ prompt: 'Write' });
    expect(text.output).toMatchObject({ ok: true, value: { provider: 'offline', offline: true } });
  });

  it('prompt_file: a logic-less template under prompts/, data inserted verbatim and never evaluated', async () => {
    const dir = (await createFakeContext()).outDir;
    mkdirSync(join(dir, 'prompts', 'book'), { recursive: true });
    writeFileSync(join(dir, 'prompts', 'book', 'analyze.md'), 'Analyze {{title}}:{{#points}} [{{.}}]{{/points}}');
    const { output, requests } = await run({ prompt_file: 'book/analyze.md', vars: { title: '{{secret}} ${{ inputs.x }}', points: ['a', 'b'], secret: 'no' } }, ['ok'], dir);
    expect(output.ok).toBe(true);
    expect(requests[0]!.prompt).toBe('Analyze {{secret}} ${{ inputs.x }}: [a] [b]');
    const escape = await run({ prompt_file: '../outside.md' }, ['ok'], dir);
    expect(isUcopError((escape.output as { error: unknown }).error) && (escape.output as { error: { code: string } }).error.code).toBe('ARTIFACT_PATH_ESCAPE');
  });

  it('an inline prompt without vars is sent as written (values the engine inserted are not template tags)', async () => {
    const { requests } = await run({ prompt: 'Title: {{x}}' }, ['ok']);
    expect(requests[0]!.prompt).toBe('Title: {{x}}');
  });
});

describe('llm.generate in the validator: the declared output_schema', () => {
  const agents = new AgentRegistry([createLlmGenerateAgent() as never]);
  const workflow = (use: string) => `version: 1
name: wf
steps:
  plan:
    agent: llm.generate
    with:
      prompt: List
      output_schema:
        type: object
        additionalProperties: false
        properties:
          items: { type: array, items: { type: string } }
          title: { type: string }
  each:
    agent: llm.generate
${use}
`;
  const codes = (source: string) => validateWorkflowSource(source, 'wf.yaml', { agents }).diagnostics.map((d) => [d.code, d.message]);

  it('for_each over steps.plan.output.items is accepted', () => {
    expect(codes(workflow('    for_each: ${{ steps.plan.output.items }}\n    with: { prompt: "${{ item }}" }'))).toEqual([]);
  });

  it('for_each over a string field is FOR_EACH_NOT_LIST', () => {
    expect(codes(workflow('    for_each: ${{ steps.plan.output.title }}\n    with: { prompt: "${{ item }}" }'))).toEqual([
      ['FOR_EACH_NOT_LIST', 'the `for_each` of step `each` is `steps.plan.output.title`, declared as string by the output schema of step `plan`, not a list: give an expression that yields a list, or a literal list'],
    ]);
  });

  it('a field the schema does not declare is UNKNOWN_STEP_REF', () => {
    expect(codes(workflow('    with: { prompt: "${{ steps.plan.output.itemz }}" }'))).toEqual([
      ['UNKNOWN_STEP_REF', '`steps.plan.output.itemz`: the output schema step `plan` declares has no field `itemz`'],
    ]);
  });

  it('the text output declares text, provider, model and offline', () => {
    const source = 'version: 1\nname: wf\nsteps:\n  a: { agent: llm.generate, with: { prompt: hi } }\n  b: { agent: llm.generate, with: { prompt: "${{ steps.a.output.txt }}" } }\n';
    expect(codes(source).map(([code]) => code)).toEqual(['UNKNOWN_STEP_REF']);
  });
});

describe('per-stage policy keys in the validator', () => {
  const agents = new AgentRegistry([createLlmGenerateAgent() as never]);
  const check = (keys: string) =>
    validateWorkflowSource(`version: 1\nname: wf\nsteps:\n  a:\n    agent: llm.generate\n    with: { prompt: hi }\n${keys}\n`, 'wf.yaml', { agents }).diagnostics.map((d) => [d.code, d.line]);

  it('accepts every policy key', () => {
    expect(
      check(
        '    rate_limit: { rpm: 60, rpd: 1000, tpm: 9000, concurrency: 5, window: 1m, budgets: [{ requests: 100, per: 1h }, { tokens: 5000, per: 10m, on_full: fail }] }\n    breaker: { failure_threshold: 3, half_open_after: 1m }\n    providers: { use: [a, b], strategy: least_loaded }\n    batch: { size: 3, max_wait: 200ms }\n    workers: { min: 1, max: 8, shrink_latency: 30s, grow_latency: 5s, shrink_error_rate: 0.2 }',
      ),
    ).toEqual([]);
    expect(check('    providers: [a, b, c]')).toEqual([]);
  });

  it('reports a bad duration and an unknown strategy at their line', () => {
    expect(check('    rate_limit: { budgets: [{ requests: 3, per: 1 hour }] }')).toEqual([['BAD_DURATION', 7]]);
    expect(check('    providers: { use: [a], strategy: random }').map(([code]) => code)).toContain('SCHEMA_INVALID');
  });
});

describe('the output of a fan-out llm.generate step', () => {
  const agents = new AgentRegistry([createLlmGenerateAgent() as never]);
  it('is a list: for_each over it and its length are not checked against the item schema', () => {
    const source = `version: 1
name: wf
steps:
  each:
    agent: llm.generate
    for_each: [a, b]
    with: { prompt: "\${{ item }}", output_schema: { type: object, additionalProperties: false, properties: { x: { type: string } } } }
  again:
    agent: llm.generate
    for_each: \${{ steps.each.output }}
    with: { prompt: "\${{ len(steps.each.output) }} \${{ item.x }}" }
`;
    expect(validateWorkflowSource(source, 'wf.yaml', { agents }).diagnostics).toEqual([]);
  });
});
