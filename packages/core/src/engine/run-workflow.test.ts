import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExpression, parseTemplate } from '../expr/index.ts';
import type { AgentDefinition } from '../agents/agent-definition.ts';
import { isUcopError } from '../errors/ucop-error.ts';
import type { SpanAttributes, SpanHandle, SpanStatus, Tracer } from '../telemetry/tracer.ts';
import { buildPlan } from './testing/plan-builder.ts';
import { createSimHarness } from './testing/sim-harness.ts';
import { runWorkflow } from './run-workflow.ts';

interface RecordedSpan {
  name: string;
  attributes: SpanAttributes;
  ended: boolean;
  errors: unknown[];
  status?: { status: SpanStatus; message?: string | undefined };
  children: RecordedSpan[];
}

function recordingTracer(): { tracer: Tracer; runs: RecordedSpan[] } {
  const runs: RecordedSpan[] = [];
  const handle = (span: RecordedSpan): SpanHandle => ({
    setAttributes: (a) => Object.assign(span.attributes, a),
    recordError: (e) => span.errors.push(e),
    setStatus: (status, message) => {
      span.status = { status, message };
    },
    end: () => {
      span.ended = true;
    },
    child: (name, attributes = {}) => {
      const child: RecordedSpan = { name, attributes: { ...attributes }, ended: false, errors: [], children: [] };
      span.children.push(child);
      return handle(child);
    },
  });
  return {
    runs,
    tracer: {
      startRun(name, attributes = {}) {
        const span: RecordedSpan = { name, attributes: { ...attributes }, ended: false, errors: [], children: [] };
        runs.push(span);
        return handle(span);
      },
      shutdown: async () => {},
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('runWorkflow', () => {
  it('checks inputs: defaults applied, missing and invalid ones refused before anything runs', async () => {
    const plan = buildPlan({
      inputs: { topic: { type: 'string', required: true }, count: { type: 'integer', default: 3 }, mode: { type: 'string', enum: ['a', 'b'], default: 'a' } },
      steps: { s: { with: parseTemplate({ ms: 1, output: '${{ inputs.topic }}-${{ inputs.count }}-${{ inputs.mode }}' }) } },
      outputs: { out: parseTemplate('${{ steps.s.output }}') },
    });
    const h = createSimHarness();
    const { outputs, record } = await h.run(plan, { inputs: { topic: 'x' } });
    expect(outputs.out).toBe('x-3-a');
    expect(record.inputs).toEqual({ topic: 'x', count: 3, mode: 'a' });
    const missing = await rejection(runWorkflow(plan, { inputs: {}, agents: h.agents }));
    expect(isUcopError(missing) && missing.code).toBe('INPUT_MISSING');
    const invalid = await rejection(runWorkflow(plan, { inputs: { topic: 'x', count: 'three', mode: 'c' }, agents: h.agents }));
    expect(isUcopError(invalid) && invalid.code).toBe('INPUT_INVALID');
    expect((invalid as Error).message).toContain('"count"');
    expect((invalid as Error).message).toContain('"mode"');
    const unknown = await rejection(runWorkflow(plan, { inputs: { topic: 'x', tpoic: 'y' }, agents: h.agents }));
    expect(isUcopError(unknown) && unknown.code).toBe('INPUT_INVALID');
    expect(h.recorder.all()).toHaveLength(1);
  });

  it('shows only declared environment variables, with their defaults', async () => {
    const plan = buildPlan({
      env: { REGION: { default: 'eu' }, TOKEN: {} },
      steps: { s: { with: parseTemplate({ ms: 1, output: '${{ env.REGION }}/${{ env.TOKEN }}/${{ env.HOME }}' }) } },
      outputs: { out: parseTemplate('${{ steps.s.output }}') },
    });
    const { outputs } = await createSimHarness().run(plan, { env: { TOKEN: 't', HOME: '/secret' } });
    expect(outputs.out).toBe('eu/t/');
  });

  it('refuses bad options with USAGE', async () => {
    const plan = buildPlan({ steps: { s: { with: { ms: 1 } } } });
    const h = createSimHarness();
    for (const options of [{ maxParallel: 0 }, { resume: true }, { resume: { fromStep: 'nope' }, outDir: '/tmp/x' }]) {
      const error = await rejection(runWorkflow(plan, { inputs: {}, agents: h.agents, ...options }));
      expect(isUcopError(error) && error.code).toBe('USAGE');
    }
  });

  it('emits the lifecycle events in order, with times from the run start', async () => {
    const plan = buildPlan({
      steps: { a: { with: { ms: 10, fail_attempts: 1 }, retry: { attempts: 2, delayMs: 4, backoff: 'fixed' } }, b: { needs: ['a'], forEach: parseExpression('[1, 2]'), with: { ms: 5 } } },
    });
    const h = createSimHarness();
    await h.run(plan, { random: () => 1 });
    const summary = h.events.map((e) => `${e.type}${'stepId' in e ? ` ${e.stepId}` : ''}${'itemIndex' in e && e.itemIndex !== undefined ? `#${e.itemIndex}` : ''}@${e.at}`);
    expect(summary).toEqual([
      'run.started@0',
      'step.ready a@0',
      'step.started a@0',
      'step.retrying a@10',
      'step.started a@14',
      'step.succeeded a@24',
      'step.expanded b@24',
      'step.ready b#0@24',
      'step.ready b#1@24',
      'step.started b#0@24',
      'step.started b#1@24',
      'step.succeeded b#0@29',
      'step.succeeded b#1@29',
      'step.succeeded b@29',
      'run.finished@29',
    ]);
  });

  it('traces a span per run and per attempt with the workflow, step, agent, group, attempt and queue wait', async () => {
    const plan = buildPlan({
      settings: { maxParallel: 1 },
      steps: { a: { with: { ms: 10, fail_attempts: 1 }, retry: { attempts: 2, delayMs: 1 }, concurrencyGroup: { name: 'llm', limit: 1 }, estimateMs: 100 }, b: { with: { ms: 5 } } },
    });
    const { tracer, runs } = recordingTracer();
    const h = createSimHarness();
    const { record } = await h.run(plan, { tracer, random: () => 0 });
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.ended).toBe(true);
    expect(run.attributes).toMatchObject({ workflow: 'test', engine: 'parallel', status: 'succeeded', speedup: record.metrics.speedup, efficiency: record.metrics.efficiency });
    expect(run.children.map((c) => [c.attributes.step, c.attributes.attempt, c.attributes.agent, c.attributes.group, c.ended])).toEqual([
      ['a', 1, 'sim.delay', 'llm', true],
      ['b', 1, 'sim.delay', 0, true],
      ['a', 2, 'sim.delay', 'llm', true],
    ]);
    expect(run.children[0]!.errors).toHaveLength(1);
    // b waited for a's first attempt only: a gives its slot back during its backoff.
    expect(run.children[1]!.attributes.queue_wait_ms).toBe(10);
  });

  it('sets the run span status: ok when the run succeeded, error with the outcome when it failed; cancelled attempts record their error', async () => {
    const ok = recordingTracer();
    await createSimHarness().run(buildPlan({ steps: { a: { with: { ms: 1 } } } }), { tracer: ok.tracer });
    expect(ok.runs[0]!.status).toEqual({ status: 'ok', message: undefined });

    const failed = recordingTracer();
    const plan = buildPlan({
      settings: { failFast: true },
      steps: { bad: { with: { ms: 5, fail_attempts: 1, retryable: false } }, slow: { with: { ms: 100 } } },
    });
    const { record } = await createSimHarness().run(plan, { tracer: failed.tracer });
    expect(record.status).toBe('failed');
    const run = failed.runs[0]!;
    expect(run.status).toEqual({ status: 'error', message: `run failed: ${record.errors[0]!.message}` });
    const slow = run.children.find((c) => c.attributes.step === 'slow')!;
    expect(slow.ended).toBe(true);
    expect(slow.errors).toEqual([expect.objectContaining({ code: 'STEP_CANCELLED' })]);
  });

  it('writes run.json and each output atomically under outDir, and lets agents write artifacts there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ucop-run-'));
    try {
      const writer: AgentDefinition = {
        name: 'test.artifact',
        version: '1',
        description: 'writes a file',
        inputSchema: {},
        outputSchema: {},
        estimateMs: 1,
        async run(ctx) {
          const path = await ctx.artifacts.write('post/out.md', '# hi\n', ctx.signal);
          await expect(ctx.artifacts.write('../escape.md', 'x')).rejects.toMatchObject({ code: 'ARTIFACT_PATH_ESCAPE' });
          return { path };
        },
      };
      // `art` does real file I/O under the virtual clock, which jumps whenever no file request is in flight:
      // without a timeout, no jump can time it out between two of its writes.
      const plan = buildPlan({ state: { n: { reducer: 'sum' } }, steps: { a: { with: { ms: 1, output: { x: 1 }, write: { n: 2 } }, writes: ['n'] }, art: { agent: 'test.artifact', timeoutMs: 0 } } });
      const h = createSimHarness([writer]);
      const { record } = await h.run(plan, { outDir: dir });
      const onDisk = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as { status: string };
      expect(record.errors).toEqual([]);
      expect(onDisk.status).toBe('succeeded');
      const step = JSON.parse(await readFile(join(dir, 'steps', 'a.json'), 'utf8')) as unknown;
      expect(step).toEqual({ stepId: 'a', fingerprint: record.steps[0]!.fingerprint, output: { x: 1 }, writes: [{ key: 'n', value: 2 }] });
      expect(record.steps[0]!.output).toBe('steps/a.json');
      expect(record.steps[1]!.status).toBe('succeeded');
      expect(await readFile(join(dir, 'post', 'out.md'), 'utf8')).toBe('# hi\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails a succeeded run whose declared output cannot be computed', async () => {
    const plan = buildPlan({ steps: { a: { with: { ms: 1, output: 0 } } }, outputs: { bad: parseTemplate('${{ 1 / steps.a.output }}') } });
    const { record, outputs } = await createSimHarness().run(plan);
    expect(record.status).toBe('failed');
    expect(record.errors[0]!.code).toBe('EXPRESSION_EVAL');
    expect(outputs.bad).toBeNull();
  });

  it('chooses the sequential engine from the plan settings', async () => {
    const plan = buildPlan({ settings: { parallel: false }, steps: { a: { with: { ms: 5 } }, b: { with: { ms: 5 } } } });
    const { record } = await createSimHarness().run(plan);
    expect(record.engine).toBe('sequential');
    expect(record.maxParallel).toBe(1);
    expect(record.wallMs).toBe(10);
  });
});
