import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startStubLlmServer } from '../../../packages/agents/src/providers/testing/stub-llm-server.ts';
import type { StubBehaviour, StubLlmServer } from '../../../packages/agents/src/providers/testing/stub-llm-server.ts';
import { maxArrivalsInWindow, maxConcurrency } from '../../../packages/agents/src/providers/testing/request-log.ts';
import { collect, runUcop, spawnUcop } from '../cli/ucop-process.ts';
import { createLlmProject, stubProviders } from './llm-project.ts';
import type { LlmProject } from './llm-project.ts';

// Per-stage policies and shared limits through `ucop run` against the stub OpenAI-compatible server; the
// stub's own request log is the judge.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function stub(behaviour?: (n: number, prompt: string) => StubBehaviour): Promise<StubLlmServer> {
  let completions = 0;
  const server = await startStubLlmServer(behaviour ? { behaviour: ({ prompt }) => behaviour(completions++, prompt ?? '') } : {});
  cleanups.push(() => server.close());
  return server;
}

function project(providersYaml: string): LlmProject {
  const created = createLlmProject(providersYaml);
  cleanups.push(() => created.remove());
  return created;
}

/** A workflow with one llm.generate fan-out step over `items` items and the given extra step keys. */
function fanOut(items: number, stepKeys: string, provider = 'stub', parallel = 16): string {
  return `version: 1
name: fan
config: { max_parallel: 16 }
inputs:
  items: { type: array, default: [${Array.from({ length: items }, (_, i) => i).join(', ')}] }
steps:
  call:
    agent: llm.generate
    provider: ${provider}
    for_each: \${{ inputs.items }}
    max_parallel: ${parallel}
${stepKeys}
    with: { prompt: "item \${{ item }}" }
`;
}

interface Record {
  status: string;
  errors: { code: string }[];
  stages?: { [key: string]: { requests: number; providers: { [p: string]: number }; workers?: { target: number }[]; batches?: { calls: number; requests: number }; breakerTransitions: { provider: string; state: string }[] } };
}
const record = (p: LlmProject, out: string): Record => JSON.parse(readFileSync(join(p.dir, out, 'run.json'), 'utf8')) as Record;

describe('shared limits across processes', () => {
  it('two ucop run processes share rpm 60 and concurrency 5 for 300 calls (window scaled to 6 s)', async () => {
    // The window is scaled down from 1 min to 6 s so that the test takes about 30 s instead of 5 min: 60 per
    // 6 s and 5 in flight. (Not shorter: on a loaded machine the two processes need about 3 s of CPU to send
    // 60 calls, and a window shorter than that would measure the CPU, not the limiter.) Each answer takes
    // 250 ms, so that concurrency 5 binds within a window.
    const WINDOW_MS = 6_000;
    const server = await stub(() => ({ kind: 'ok', delayMs: 250 }));
    const p = project(stubProviders(server.baseUrl, [{ name: 'stub', limits: '{ rpm: 60, concurrency: 5, window: 6s }' }]));
    p.write('workflows/fan.yaml', fanOut(150, ''));
    const runs = ['a', 'b'].map((out) => collect(spawnUcop(['run', 'workflows/fan.yaml', '-o', out, '--quiet'], { cwd: p.dir })));
    const results = await Promise.all(runs);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const calls = server.completions();
    expect(calls).toHaveLength(300);
    const arrivals = calls.map((c) => c.arrivalMs).sort((x, y) => x - y);
    const spanMs = arrivals.at(-1)! - arrivals[0]!;
    // Rate used while the run goes: the mean number of arrivals in a window, over every window start from the
    // first arrival to a window before the last (every 50 ms), against the 60 allowed.
    const starts = Array.from({ length: Math.floor((spanMs - WINDOW_MS) / 50) + 1 }, (_, i) => arrivals[0]! + i * 50);
    const meanInWindow = starts.reduce((sum, t) => sum + arrivals.filter((a) => a >= t && a < t + WINDOW_MS).length, 0) / starts.length;
    console.log(`shared limits: most arrivals in any ${WINDOW_MS} ms: ${maxArrivalsInWindow(calls, WINDOW_MS)}, most in flight: ${maxConcurrency(calls)}, 300 calls over ${Math.round(spanMs)} ms, ${meanInWindow.toFixed(1)} arrivals in a window on average (${Math.round((meanInWindow / 60) * 100)}% of the allowed rate)`);
    expect(maxArrivalsInWindow(calls, WINDOW_MS)).toBeLessThanOrEqual(60);
    expect(maxConcurrency(calls)).toBeLessThanOrEqual(5);
    expect(meanInWindow / 60).toBeGreaterThanOrEqual(0.9);
  }, 180_000);

  it('a budget of 3 per hour is not renewed by a second run', async () => {
    const server = await stub();
    const p = project(stubProviders(server.baseUrl, [{ name: 'stub' }]));
    p.write('workflows/fan.yaml', fanOut(3, '    rate_limit: { budgets: [{ requests: 3, per: 1h, on_full: fail }] }'));
    const first = await runUcop(['run', 'workflows/fan.yaml', '-o', 'first', '--quiet'], { cwd: p.dir });
    expect(first.code, first.stderr).toBe(0);
    const second = await runUcop(['run', 'workflows/fan.yaml', '-o', 'second', '--quiet'], { cwd: p.dir });
    expect(second.code).toBe(4);
    expect(record(p, 'second').errors.map((e) => e.code)).toContain('PROVIDER_QUOTA_EXHAUSTED');
    expect(server.completions()).toHaveLength(3);
  }, 60_000);

  it('--no-wait fails at once instead of waiting for a full window', async () => {
    const server = await stub();
    const p = project(stubProviders(server.baseUrl, [{ name: 'stub', limits: '{ rpm: 2, window: 1h }' }]));
    p.write('workflows/fan.yaml', fanOut(3, ''));
    const result = await runUcop(['run', 'workflows/fan.yaml', '-o', 'out', '--quiet', '--no-wait'], { cwd: p.dir });
    expect(result.code).toBe(4);
    expect(record(p, 'out').errors.map((e) => e.code)).toContain('RATE_LIMIT_NO_WAIT');
    expect(server.completions()).toHaveLength(2);
  }, 60_000);
});

describe('per-stage policies', () => {
  it('round robin over 3 providers: 90 calls, 30 each (±1), recorded in run.json', async () => {
    const server = await stub();
    const names = ['pa', 'pb', 'pc'];
    const yaml = stubProviders(server.baseUrl, names.map((name) => ({ name }))).replaceAll('model: stub-model', 'model: MODEL');
    let providersYaml = yaml;
    for (const name of names) providersYaml = providersYaml.replace('model: MODEL', `model: model-${name}`);
    const p = project(providersYaml);
    p.write('workflows/fan.yaml', fanOut(90, '    providers: { use: [pa, pb, pc], strategy: round_robin }', 'pa'));
    const result = await runUcop(['run', 'workflows/fan.yaml', '-o', 'out', '--quiet'], { cwd: p.dir });
    expect(result.code, result.stderr).toBe(0);
    const byModel = new Map<string, number>();
    for (const call of server.completions()) byModel.set(call.model ?? '', (byModel.get(call.model ?? '') ?? 0) + 1);
    for (const name of names) expect(Math.abs((byModel.get(`model-${name}`) ?? 0) - 30)).toBeLessThanOrEqual(1);
    const stage = record(p, 'out').stages?.['fan/call'];
    expect(stage?.providers).toEqual({ pa: byModel.get('model-pa'), pb: byModel.get('model-pb'), pc: byModel.get('model-pc') });
  }, 60_000);

  it('a provider whose breaker is open is skipped', async () => {
    const good = await stub();
    const bad = await stub(() => ({ kind: 'error', status: 503 }));
    const yaml = `${stubProviders(good.baseUrl, [{ name: 'pa' }, { name: 'pb' }])}`.replace('retry: { max_attempts: 1 }\n', '') + stubProviders(bad.baseUrl, [{ name: 'down' }]).replace('providers:\n', '');
    const p = project(yaml);
    // One call at a time, so that the breaker's count is exact (in parallel, calls already sent to `down`
    // when it opens still arrive).
    p.write('workflows/fan.yaml', fanOut(60, '    providers: { use: [pa, down, pb], strategy: round_robin }\n    breaker: { failure_threshold: 2, half_open_after: 1h }', 'pa', 1));
    const result = await runUcop(['run', 'workflows/fan.yaml', '-o', 'out', '--quiet'], { cwd: p.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(bad.completions()).toHaveLength(2);
    expect(good.completions()).toHaveLength(60);
    expect(record(p, 'out').stages?.['fan/call']?.breakerTransitions).toEqual([expect.objectContaining({ provider: 'down', state: 'open' })]);
  }, 60_000);

  it('batch size 3 on 10 items: 4 requests, every item its own answer', async () => {
    const server = await stub((_, prompt) => {
      const items = [...prompt.matchAll(/### Request \d+\n(item \d+)/g)].map((m) => `answer to ${m[1]}`);
      return { kind: 'ok', text: items.length > 0 ? JSON.stringify({ answers: items }) : `answer to ${prompt}` };
    });
    const p = project(stubProviders(server.baseUrl, [{ name: 'stub' }]));
    p.write('workflows/fan.yaml', `${fanOut(10, '    batch: { size: 3, max_wait: 500ms }')}outputs:\n  answers: "\${{ steps.call.output }}"\n`);
    const result = await runUcop(['run', 'workflows/fan.yaml', '-o', 'out', '--quiet'], { cwd: p.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(server.completions()).toHaveLength(4);
    const run = JSON.parse(readFileSync(join(p.dir, 'out', 'run.json'), 'utf8')) as { outputs: { answers: { text: string }[] } };
    expect(run.outputs.answers.map((a) => a.text)).toEqual(Array.from({ length: 10 }, (_, i) => `answer to item ${i}`));
    expect(record(p, 'out').stages?.['fan/call']?.batches).toEqual({ calls: 3, requests: 9 });
  }, 60_000);

  it('workers shrink while a quarter of the calls fail and grow back when the errors stop', async () => {
    const server = await stub((n) => (n < 100 && n % 4 === 0 ? { kind: 'error', status: 500 } : { kind: 'ok' }));
    const p = project(stubProviders(server.baseUrl, [{ name: 'stub' }]));
    p.write('workflows/fan.yaml', fanOut(260, '    continue_on_error: true\n    workers: { min: 1, max: 8, sample: 10 }'));
    const result = await runUcop(['run', 'workflows/fan.yaml', '-o', 'out', '--quiet'], { cwd: p.dir });
    expect(result.code).toBe(0);
    const targets = (record(p, 'out').stages?.['fan/call']?.workers ?? []).map((w) => w.target);
    expect(targets[0]).toBe(8);
    expect(Math.min(...targets)).toBeLessThanOrEqual(2);
    expect(targets.at(-1)).toBe(8);
  }, 60_000);
});
