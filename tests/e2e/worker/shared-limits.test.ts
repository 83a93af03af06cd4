import { afterEach, describe, expect, it } from 'vitest';
import { maxArrivalsInWindow, maxConcurrency, startStubLlmServer } from '../../../packages/agents/src/providers/testing/index.ts';
import type { StubLlmServer } from '../../../packages/agents/src/providers/testing/index.ts';
import { TEST_REDIS_URL, freshName, redisAvailable } from '../../../packages/worker/src/testing/redis-for-tests.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect } from '../cli/ucop-process.ts';
import { stubProviders } from '../llm/llm-project.ts';
import { DistProject } from './worker-processes.ts';

/**
 * Three `ucop worker` processes make 300 calls to the stub LLM server, each call gated by the Redis limit
 * store with `rpm: 60, concurrency: 5`. The minute is scaled down to one second (60 calls per 1000 ms), so
 * that 300 calls take about 5 s instead of 5 min; the server's own log must never show more than 60
 * arrivals in any 1000 ms, nor more than 5 requests open at once.
 */
const available = await redisAvailable();
const CALLS = 300;
const WINDOW_MS = 1000;

let project: DistProject | undefined;
let stub: StubLlmServer | undefined;
afterEach(async () => {
  await project?.dispose();
  await stub?.close();
  project = undefined;
  stub = undefined;
});

describe.skipIf(!available)('provider limits shared by every worker through Redis', () => {
  it('three workers, 300 calls, rpm 60 (per 1 s here) and concurrency 5: the server never sees more', async () => {
    stub = await startStubLlmServer({ behaviour: () => ({ kind: 'ok', delayMs: 60 }) });
    const queue = freshName('limits');
    project = new DistProject(TEST_REDIS_URL, queue, { DIST_REDIS_URL: TEST_REDIS_URL, DIST_LLM_URL: stub.baseUrl, DIST_WINDOW_MS: String(WINDOW_MS), DIST_LIMIT_PREFIX: `ucop:${queue}:limits` });
    const items = JSON.stringify(Array.from({ length: CALLS }, (_, i) => i));
    const workflow = project.writeWorkflow(
      'calls.yaml',
      `version: 1\nname: dist_calls\ninputs:\n  items: { type: array, items: { type: integer } }\nconfig: { max_parallel: ${CALLS} }\nsteps:\n  call: { agent: test.dist.llm, for_each: "\${{ inputs.items }}", max_parallel: ${CALLS}, with: { n: "\${{ item }}" } }\n`,
    );
    const args = ['--concurrency', '10'];
    await Promise.all([project.startWorker(args), project.startWorker(args), project.startWorker(args)]);
    const result = await collect(project.startRun(workflow, ['-o', 'out', '-i', `items=${items}`]));
    expect(result.code, result.stderr).toBe(0);
    const calls = stub.completions();
    expect(calls).toHaveLength(CALLS);
    expect(maxArrivalsInWindow(calls, WINDOW_MS)).toBeLessThanOrEqual(60);
    expect(maxConcurrency(calls)).toBeLessThanOrEqual(5);
    // The limits were reached (so they were what held the calls back), by calls from all three processes.
    expect(maxArrivalsInWindow(calls, WINDOW_MS)).toBeGreaterThanOrEqual(40);
    expect(maxConcurrency(calls)).toBe(5);
    expect(new Set(project.invocations().filter((i) => i.event === 'call').map((i) => i.pid)).size).toBe(3);
  }, 90_000);

  it('llm.generate through the provider layer of three workers: the providers file\'s limits hold on the Redis store', async () => {
    stub = await startStubLlmServer({ behaviour: () => ({ kind: 'ok', delayMs: 60 }) });
    const queue = freshName('provider-limits');
    project = new DistProject(TEST_REDIS_URL, queue);
    // The provider's own limits (not a fixture's): `ucop worker` hands its provider layer the Redis store.
    writeFileSync(join(project.dir, 'config/providers.yaml'), stubProviders(stub.baseUrl, [{ name: 'stub', limits: '{ rpm: 60, window: 1s, concurrency: 5 }' }]));
    const n = 150;
    const items = JSON.stringify(Array.from({ length: n }, (_, i) => i));
    const workflow = project.writeWorkflow(
      'llm-calls.yaml',
      `version: 1\nname: dist_llm_calls\ninputs:\n  items: { type: array, items: { type: integer } }\nconfig: { max_parallel: ${n} }\nsteps:\n  call: { agent: llm.generate, for_each: "\${{ inputs.items }}", max_parallel: ${n}, with: { prompt: "item \${{ item }}", provider: stub } }\n`,
    );
    const args = ['--concurrency', '10'];
    await Promise.all([project.startWorker(args), project.startWorker(args), project.startWorker(args)]);
    const result = await collect(project.startRun(workflow, ['-o', 'out', '-i', `items=${items}`]));
    expect(result.code, result.stderr).toBe(0);
    const calls = stub.completions();
    expect(calls).toHaveLength(n);
    expect(maxArrivalsInWindow(calls, WINDOW_MS)).toBeLessThanOrEqual(60);
    expect(maxConcurrency(calls)).toBeLessThanOrEqual(5);
    // Without the shared store each of the three workers would allow 5 at once on its own.
    expect(maxConcurrency(calls)).toBe(5);
  }, 90_000);
});
