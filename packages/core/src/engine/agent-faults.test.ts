import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentRegistry } from '../agents/agent-registry.ts';
import type { AgentDefinition } from '../agents/agent-definition.ts';
import type { Logger } from '../agents/logger.ts';
import { clearRegisteredSecrets } from '../telemetry/redact.ts';
import { parseTemplate } from '../expr/index.ts';
import { buildPlan } from './testing/plan-builder.ts';
import { runWorkflow } from './run-workflow.ts';
import type { RunEvent } from './run-events.ts';
import { strayErrorListeners } from './stray-error-trap.ts';

// An agent's error never costs the run its record: whatever it throws, rejects, lets escape from a timer or
// returns that JSON cannot carry fails that attempt (or, once the attempt is over, the run) with its own code.
// The process-level listeners are called directly from the agent's timers: an exception really escaping
// would be caught by the test runner's own listener (the real process is tested in tests/e2e).

function agent(name: string, run: AgentDefinition['run']): AgentDefinition {
  return { name, version: '1', description: name, inputSchema: {}, outputSchema: {}, estimateMs: 1, run };
}

const never = new Promise<never>(() => undefined);
const circular: Record<string, unknown> = { a: 1 };
circular['self'] = circular;

const agents = new AgentRegistry([
  agent('t.timer-throws', () => {
    setImmediate(() => strayErrorListeners.uncaughtException(new Error('boom from a timer')));
    return never;
  }),
  agent('t.unawaited-rejection', () => {
    setImmediate(() => strayErrorListeners.unhandledRejection(new Error('nobody awaited me')));
    return never;
  }),
  agent('t.late-throw', () => {
    setTimeout(() => strayErrorListeners.uncaughtException(new Error('after the attempt')), 5);
    return Promise.resolve({ done: true });
  }),
  agent('t.wait', () => new Promise((resolve) => setTimeout(() => resolve('waited'), 200))),
  agent('t.bigint', () => Promise.resolve({ n: 10n })),
  agent('t.cycle', () => Promise.resolve(circular)),
  agent('t.function', () => Promise.resolve({ list: [1, () => 2] })),
  agent('t.symbol', () => Promise.resolve({ s: Symbol('x') })),
  agent('t.throws-null-proto', () => Promise.reject(Object.create(null) as unknown)),
  agent('t.leaks', (ctx) => {
    ctx.logger.info('using key sk-live-0123456789abcdefXYZ');
    return Promise.reject(new Error('401 for key sk-live-0123456789abcdefXYZ and token hunter2-secret-value'));
  }),
  agent('t.echoes', () => Promise.resolve({ text: 'the key is hunter2-secret-value', nested: ['hunter2-secret-value'] })),
]);

let dir: string | undefined;
afterEach(async () => {
  clearRegisteredSecrets();
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function run(steps: Record<string, string>, extra: { secrets?: string[]; logger?: Logger } = {}) {
  dir = await mkdtemp(join(tmpdir(), 'ucop-faults-'));
  const plan = buildPlan({ steps: Object.fromEntries(Object.entries(steps).map(([id, a]) => [id, { agent: a, with: {} }])) });
  const events: RunEvent[] = [];
  const result = await runWorkflow(plan, { inputs: {}, agents, outDir: dir, onEvent: (e) => events.push(e), ...extra });
  const record = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as { status: string; steps: { id: string; status: string; error?: { code: string } }[]; errors: { code: string; message: string }[] };
  const files = await Promise.all((await readdir(join(dir, 'steps')).catch(() => [])).map((f) => readFile(join(dir!, 'steps', f), 'utf8')));
  return { result, record, events, text: JSON.stringify(record) + files.join('') + JSON.stringify(events) };
}

describe('agent faults end in the record', () => {
  it('an error thrown from a timer, or a rejection nobody awaits, fails that attempt with AGENT_UNCAUGHT; the others finish', async () => {
    const { record } = await run({ a: 't.timer-throws', b: 't.unawaited-rejection', c: 't.wait' });
    expect(record.status).toBe('failed');
    const byId = Object.fromEntries(record.steps.map((s) => [s.id, s.status]));
    expect(byId).toEqual({ a: 'failed', b: 'failed', c: 'succeeded' });
    const codes = record.errors.map((e) => e.code);
    expect(codes).toEqual(['AGENT_UNCAUGHT', 'AGENT_UNCAUGHT']);
    expect(record.errors.map((e) => e.message).join('\n')).toMatch(/boom from a timer[\s\S]*nobody awaited me|nobody awaited me[\s\S]*boom from a timer/);
  });

  it('a stray error after its attempt succeeded fails the run, which still writes its record', async () => {
    const { record } = await run({ a: 't.late-throw', c: 't.wait' });
    expect(record.status).toBe('failed');
    expect(record.errors.map((e) => e.code)).toContain('AGENT_UNCAUGHT');
    expect(record.steps.find((s) => s.id === 'a')?.status).toBe('succeeded');
  });

  it('output JSON cannot carry fails the attempt with AGENT_OUTPUT_UNSERIALISABLE, naming where', async () => {
    const { record } = await run({ a: 't.bigint', b: 't.cycle', c: 't.function', d: 't.symbol', e: 't.throws-null-proto' });
    expect(record.status).toBe('failed');
    expect(record.steps.map((s) => s.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
    const messages = record.errors.map((e) => `${e.code} ${e.message}`).sort();
    expect(messages).toEqual([
      expect.stringMatching(/^AGENT_ERROR .*cannot be shown/),
      expect.stringMatching(/^AGENT_OUTPUT_UNSERIALISABLE .*a BigInt at output\.n/),
      expect.stringMatching(/^AGENT_OUTPUT_UNSERIALISABLE .*a circular reference at output\.self/),
      expect.stringMatching(/^AGENT_OUTPUT_UNSERIALISABLE .*a function at output\.list\[1\]/),
      expect.stringMatching(/^AGENT_OUTPUT_UNSERIALISABLE .*a symbol at output\.s/),
    ]);
  });

  it('secret values never reach the record, the step files, the events or the logger', async () => {
    const lines: string[] = [];
    const log = (_level: string, message: string, fields?: Record<string, unknown>): void => void lines.push(message + JSON.stringify(fields ?? {}));
    const logger: Logger = { log, debug: (m, f) => log('debug', m, f), info: (m, f) => log('info', m, f), warn: (m, f) => log('warn', m, f), error: (m, f) => log('error', m, f) };
    const { record, text, result } = await run({ a: 't.leaks', b: 't.echoes' }, { secrets: ['hunter2-secret-value'], logger });
    expect(lines.join('\n')).toContain('using key [redacted]');
    expect(record.errors[0]!.message).toContain('[redacted]');
    expect(text).not.toContain('hunter2-secret-value');
    expect(text).not.toContain('sk-live-0123456789abcdefXYZ');
    expect(JSON.stringify(result.record)).not.toContain('hunter2-secret-value');
    expect(text).toContain('the key is [redacted]');
  });

  it('a secret given as an input or rendered into an output from env is masked in the record; the step still gets it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ucop-faults-'));
    let seen: unknown;
    const spy = new AgentRegistry([agent('t.spy', (_ctx, input) => ((seen = input), Promise.resolve('ok')))]);
    const plan = buildPlan({
      inputs: { key: { type: 'string' } },
      env: { SERVICE_TOKEN: {} },
      steps: { a: { agent: 't.spy', with: parseTemplate({ key: '${{ inputs.key }}' }) } },
      outputs: { token: parseTemplate('${{ env.SERVICE_TOKEN }}') },
    });
    await runWorkflow(plan, { inputs: { key: 'hunter2-secret-value' }, env: { SERVICE_TOKEN: 'svc-token-123456' }, agents: spy, outDir: dir, secrets: ['hunter2-secret-value', 'svc-token-123456'] });
    expect(seen).toEqual({ key: 'hunter2-secret-value' });
    const text = await readFile(join(dir, 'run.json'), 'utf8');
    expect(text).not.toContain('hunter2-secret-value');
    expect(text).not.toContain('svc-token-123456');
  });
});
