import { describe, it, expect } from 'vitest';
import { AgentRegistry } from '../agents/agent-registry.ts';
import type { AgentDefinition } from '../agents/agent-definition.ts';
import type { LlmClient } from '../agents/llm-client.ts';
import { StateStore } from '../state/state-store.ts';
import { noopSpan } from '../telemetry/tracer.ts';
import type { SpanHandle } from '../telemetry/tracer.ts';
import { LocalExecutor } from './local-executor.ts';
import type { StepTask } from './step-executor.ts';

const echo: AgentDefinition = {
  name: 'test.echo',
  version: '1',
  description: 'returns its input; writes what it is told',
  inputSchema: { type: 'object', required: ['text'], properties: { text: { type: 'string' }, write: { type: 'object' } } },
  outputSchema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
  estimateMs: 1,
  async run(ctx, input) {
    for (const [k, v] of Object.entries((input.write as Record<string, unknown> | undefined) ?? {})) ctx.state.write(k, v);
    if (input.text === 'bad-output') return { text: 42 };
    if (input.text === 'llm') {
      const a = await ctx.llm.generate({ prompt: 'p' }, ctx.signal);
      const b = await ctx.llm.generate({ prompt: 'q', provider: 'other' }, ctx.signal);
      return { text: `${a.provider},${b.provider}` };
    }
    return { text: input.text };
  },
};

function task(input: Record<string, unknown>, over: Partial<StepTask> = {}): StepTask {
  return { runId: 'r', workflow: 'w', stepId: 's', attempt: 1, agent: 'test.echo', input, writes: ['log'], timeoutMs: 1000, fallback: [], ...over };
}

function setup(llm?: LlmClient) {
  const store = new StateStore({ log: { reducer: 'append' } });
  const executor = new LocalExecutor({ agents: new AgentRegistry([echo]), state: store, ...(llm ? { llm } : {}) });
  const context = (signal = new AbortController().signal) => ({ signal, span: noopSpan, readState: () => store.snapshot() });
  return { store, executor, context };
}

describe('LocalExecutor', () => {
  it('runs the agent and returns its output with the staged writes (not committed)', async () => {
    const { executor, context, store } = setup();
    const result = await executor.execute(task({ text: 'hi', write: { log: 'x' } }), context());
    expect(result).toEqual({ ok: true, output: { text: 'hi' }, writes: [{ key: 'log', value: 'x' }] });
    expect(store.snapshot()).toEqual({ log: [] });
  });

  it('checks the input and the output against the agent schemas', async () => {
    const { executor, context } = setup();
    const badInput = await executor.execute(task({ nope: 1 }), context());
    expect(badInput).toMatchObject({ ok: false, error: { code: 'AGENT_INPUT_INVALID' } });
    const badOutput = await executor.execute(task({ text: 'bad-output' }), context());
    expect(badOutput).toMatchObject({ ok: false, error: { code: 'AGENT_OUTPUT_INVALID' } });
  });

  it('refuses an unknown agent and writes to keys the step does not list', async () => {
    const { executor, context } = setup();
    expect(await executor.execute(task({ text: 'x' }, { agent: 'nope' }), context())).toMatchObject({ ok: false, error: { code: 'UNKNOWN_AGENT' } });
    expect(await executor.execute(task({ text: 'x', write: { log: 1 } }, { writes: [] }), context())).toMatchObject({ ok: false, error: { code: 'STATE_WRITE_REJECTED' } });
  });

  it('routes LLM calls with the step provider unless the call names one, and accounts usage', async () => {
    const calls: (string | undefined)[] = [];
    const llm: LlmClient = {
      generate: async (request) => {
        calls.push(request.provider);
        return { text: 't', provider: request.provider ?? 'default', model: 'm', usage: { inputTokens: 3, outputTokens: 4, costUsd: 0.5 }, offline: false };
      },
    };
    const { executor, context } = setup(llm);
    const result = await executor.execute(task({ text: 'llm' }, { provider: 'mine' }), context());
    expect(calls).toEqual(['mine', 'other']);
    expect(result).toMatchObject({ ok: true, output: { text: 'mine,other' }, usage: { calls: 2, inputTokens: 6, outputTokens: 8, costUsd: 1, providers: ['mine', 'other'] } });
  });

  it("hands the attempt's span to the LLM client with each call, for the provider's per-call spans", async () => {
    const spans: unknown[] = [];
    const llm: LlmClient = {
      generate: async (request, _signal, options) => {
        spans.push(options?.span);
        return { text: 't', provider: 'p', model: 'm', usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, offline: true };
      },
    };
    const { executor, store } = setup(llm);
    const attemptSpan: SpanHandle = { ...noopSpan };
    await executor.execute(task({ text: 'llm' }), { signal: new AbortController().signal, span: attemptSpan, readState: () => store.snapshot() });
    expect(spans).toHaveLength(2);
    expect(spans.every((span) => span === attemptSpan)).toBe(true);
  });

  it('refuses state writes made after the attempt was aborted', async () => {
    const { store } = setup();
    const controller = new AbortController();
    let write: (() => void) | undefined;
    const late: AgentDefinition = {
      ...echo,
      name: 'test.late',
      inputSchema: {},
      outputSchema: {},
      run: (ctx) => new Promise((resolve, reject) => {
        write = () => {
          try {
            ctx.state.write('log', 'late');
            resolve({});
          } catch (error) {
            reject(error as Error);
          }
        };
      }),
    };
    const ex = new LocalExecutor({ agents: new AgentRegistry([late]), state: store });
    const pending = ex.execute(task({}, { agent: 'test.late' }), { signal: controller.signal, span: noopSpan, readState: () => store.snapshot() });
    await Promise.resolve();
    controller.abort();
    write!();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'STATE_WRITE_REJECTED' } });
  });
});
