import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import schema from '../../schema/run-record.schema.json' with { type: 'json' };
import { parseExpression } from '../expr/index.ts';
import { runWorkflow } from '../engine/run-workflow.ts';
import { buildPlan } from '../engine/testing/plan-builder.ts';
import { createSimHarness } from '../engine/testing/sim-harness.ts';
import type { AgentDefinition } from '../agents/agent-definition.ts';
import type { LlmClient } from '../agents/llm-client.ts';
import type { RunRecordFile } from './run-record.ts';

const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default;
const validate = addFormats(new Ajv2020({ allErrors: true, strict: true })).compile(schema);

function expectValid(record: unknown): void {
  const ok = validate(record);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

describe('run.json schema', () => {
  it('describes a finished run with fan-out, skips, failures, timeouts and output files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ucop-schema-'));
    try {
      const plan = buildPlan({
        state: { log: { reducer: 'append' } },
        steps: {
          list: { with: { ms: 2, output: [1, 2], write: { log: 'x' } }, writes: ['log'] },
          each: { forEach: parseExpression('steps.list.output'), with: { ms: 3 } },
          bad: { with: { ms: 1, fail_attempts: 1, retryable: false } },
          skipped: { needs: ['bad'], with: { ms: 1 } },
          slow: { with: { ms: 100 }, timeoutMs: 10 },
        },
      });
      const h = createSimHarness();
      const { record } = await h.run(plan, { outDir: dir });
      expect(record.status).toBe('failed');
      expect(record.errors.map((e) => [e.code, e.stepId, e.itemIndex])).toEqual([
        ['AGENT_ERROR', 'bad', undefined],
        ['STEP_TIMEOUT', 'slow', undefined],
      ]);
      expectValid(record);
      const onDisk = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunRecordFile;
      expectValid(onDisk);
      expect(onDisk).toEqual(JSON.parse(JSON.stringify(record)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('describes a partial record written while the run is going', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ucop-schema-'));
    try {
      const plan = buildPlan({ steps: { a: { with: { ms: 1 } }, b: { needs: ['a'], with: { ms: 1_000 } } } });
      const h = createSimHarness();
      const done = runWorkflow(plan, { inputs: {}, agents: h.agents, clock: h.clock, outDir: dir });
      let partial: RunRecordFile | undefined;
      // Opening the run store takes real time: keep moving the virtual clock until step a is recorded.
      for (let i = 0; i < 900 && partial?.steps[0]?.status !== 'succeeded'; i += 1) {
        await h.clock.advance(1);
        await new Promise((resolve) => setTimeout(resolve, 2));
        partial = (await readFile(join(dir, 'run.json'), 'utf8').then(JSON.parse, () => undefined)) as RunRecordFile | undefined;
      }
      expect(partial?.status).toBe('running');
      expectValid(partial);
      const { record } = await h.clock.runUntil(done);
      expectValid(record);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('describes text-model usage with the fallbacks: who failed calls, why, and who took over', async () => {
    // Each call of this agent was failed by "remote" (unreachable) and answered by "offline".
    const writer: AgentDefinition = {
      name: 'test.writer',
      version: '1',
      description: 'calls the model twice',
      estimateMs: 1,
      inputSchema: {},
      outputSchema: {},
      run: async (ctx) => {
        await ctx.llm.generate({ prompt: 'a' }, ctx.signal);
        await ctx.llm.generate({ prompt: 'b' }, ctx.signal);
        return {};
      },
    };
    const llm: LlmClient = {
      generate: async () => ({
        text: 't', provider: 'offline', model: 'm', offline: true, usage: { inputTokens: 1, outputTokens: 2, costUsd: 0 },
        fallbacks: [{ provider: 'remote', code: 'PROVIDER_UNAVAILABLE', to: 'offline' }],
      }),
    };
    const plan = buildPlan({ steps: { a: { agent: 'test.writer' }, b: { agent: 'test.writer' } } });
    const { record } = await createSimHarness([writer]).run(plan, { llm });
    expect(record.steps[0]!.usage).toMatchObject({ calls: 2, providers: ['offline'], fallbacks: [{ from: 'remote', to: 'offline', code: 'PROVIDER_UNAVAILABLE', count: 2 }] });
    expect(record.usage).toMatchObject({ calls: 4, fallbacks: [{ from: 'remote', to: 'offline', code: 'PROVIDER_UNAVAILABLE', count: 4 }] });
    expectValid(record);
  });

  it('rejects what is not a run record (the schema can fail)', () => {
    expect(validate({ schemaVersion: 1 })).toBe(false);
    expect(validate({ schemaVersion: 2, runId: 'x' })).toBe(false);
  });
});
