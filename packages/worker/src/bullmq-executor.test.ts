import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentRegistry, UcopError, createArtifactWriter, defineAgent, isUcopError, noopSpan } from '@ucop/core';
import type { StepExecutionContext, StepTask } from '@ucop/core';
import { BullmqExecutor } from './bullmq-executor.ts';
import { Fences } from './fence-scripts.ts';
import { keyPattern, queueNames } from './queue-names.ts';
import { connectAndCheck, createRedis } from './redis-connection.ts';
import { StepWorker } from './step-worker.ts';
import { TEST_REDIS_URL, freshName, redisAvailable, removeKeys } from './testing/redis-for-tests.ts';
import { OwnRedisServer, freePort } from './testing/redis-server.ts';

const available = await redisAvailable();

let sawAbort = false;
const agents = new AgentRegistry([
  defineAgent<{ text: string }, { upper: string; path: string }>({
    name: 't.write',
    version: '1',
    estimateMs: 1,
    description: 'writes an artifact and a state key',
    inputSchema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
    outputSchema: {},
    async run(ctx, input) {
      ctx.state.write('seen', input.text);
      const path = await ctx.artifacts.write('out/upper.txt', input.text.toUpperCase());
      return { upper: input.text.toUpperCase(), path, before: ctx.state.get('before') } as { upper: string; path: string };
    },
  }),
  defineAgent({
    name: 't.wait',
    version: '1',
    estimateMs: 1,
    description: 'waits until aborted',
    inputSchema: {},
    outputSchema: {},
    run: (ctx) =>
      new Promise((_, reject) =>
        ctx.signal.addEventListener('abort', () => {
          sawAbort = true;
          reject(ctx.signal.reason as Error);
        }),
      ),
  }),
  defineAgent<{ bytes: number }>({ name: 't.big', version: '1',
    estimateMs: 1, description: 'a large output', inputSchema: {}, outputSchema: {}, run: async (_ctx, input) => 'x'.repeat(input.bytes) }),
  defineAgent({
    name: 't.fail',
    version: '1',
    estimateMs: 1,
    description: 'fails with a code',
    inputSchema: {},
    outputSchema: {},
    run: async () => {
      throw new UcopError('PROVIDER_RATE_LIMITED', 'slow down', { retryable: true, fields: { provider: 'x' } });
    },
  }),
]);

function task(agent: string, input: Record<string, unknown>, extra: Partial<StepTask> = {}): StepTask {
  return { runId: 'r1', workflow: 'w', stepId: 's1', attempt: 1, agent, input, writes: ['seen'], timeoutMs: 30_000, fallback: [], ...extra };
}

function context(signal: AbortSignal = new AbortController().signal): StepExecutionContext {
  return { signal, span: noopSpan, readState: () => ({ before: 'committed' }) };
}

describe.skipIf(!available)('BullmqExecutor with a StepWorker (real Redis)', () => {
  const names = queueNames(freshName('exec'));
  const outDir = mkdtempSync(join(tmpdir(), 'ucop-exec-'));
  let executor: BullmqExecutor;
  let worker: StepWorker;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL);
    worker = new StepWorker({ redisUrl: TEST_REDIS_URL, names, agents, concurrency: 4, lockDurationMs: 1000, stalledIntervalMs: 300, maxResultBytes: 64 * 1024 });
    await worker.start();
    executor = await BullmqExecutor.open({ redisUrl: TEST_REDIS_URL, names, artifacts: createArtifactWriter(outDir) });
  });
  afterAll(async () => {
    await executor?.close();
    await worker?.shutdown(1000);
    await removeKeys(redis, keyPattern(names));
    redis.disconnect();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('returns the output and staged writes, and the coordinator writes the artifacts under the run directory', async () => {
    const result = await executor.execute(task('t.write', { text: 'hi' }), context());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // The agent saw the run directory as its root: its output names the file the coordinator wrote.
    expect(result.output).toEqual({ upper: 'HI', path: join(outDir, 'out/upper.txt'), before: 'committed' });
    expect(result.writes).toEqual([{ key: 'seen', value: 'hi' }]);
    expect(result.artifacts).toEqual([{ path: 'out/upper.txt', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string }]);
    expect(readFileSync(join(outDir, 'out/upper.txt'), 'utf8')).toBe('HI');
  });

  it('forRun: runs sharing the executor each get their artifacts in their own directory', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'ucop-run-a-')), mkdtempSync(join(tmpdir(), 'ucop-run-b-'))];
    try {
      const results = await Promise.all(dirs.map((dir, i) => executor.forRun(createArtifactWriter(dir)).execute(task('t.write', { text: `run${i}` }, { runId: `r${i}` }), context())));
      dirs.forEach((dir, i) => {
        expect(results[i]).toMatchObject({ ok: true, output: { path: join(dir, 'out/upper.txt') } });
        expect(readFileSync(join(dir, 'out/upper.txt'), 'utf8')).toBe(`RUN${i}`);
      });
      expect(executor.connected).toBe(true);
      expect(await executor.ping(new AbortController().signal)).toBe(true);
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('brings an agent error back with its code, fields and retryability', async () => {
    const result = await executor.execute(task('t.fail', {}), context());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(isUcopError(result.error) && result.error.toJSON()).toEqual({ code: 'PROVIDER_RATE_LIMITED', message: 'slow down', retryable: true, fields: { provider: 'x' } });
  });

  it('refuses a result over the bound with WORKER_RESULT_TOO_LARGE', async () => {
    const result = await executor.execute(task('t.big', { bytes: 100 * 1024 }), context());
    expect(!result.ok && isUcopError(result.error) && result.error.code).toBe('WORKER_RESULT_TOO_LARGE');
  });

  it('cancellation reaches the remote step: aborting the attempt aborts the agent on the worker', async () => {
    sawAbort = false;
    const controller = new AbortController();
    const running = executor.execute(task('t.wait', {}), context(controller.signal));
    await expect.poll(() => worker.running, { timeout: 5000 }).toBe(1);
    controller.abort(new UcopError('STEP_TIMEOUT', 'too slow'));
    const result = await running;
    expect(!result.ok && isUcopError(result.error) && result.error.code).toBe('STEP_TIMEOUT');
    await expect.poll(() => sawAbort, { timeout: 5000 }).toBe(true);
    await expect.poll(() => worker.running, { timeout: 5000 }).toBe(0);
  });
});

describe.skipIf(!available)('what the coordinator refuses from a worker (real Redis)', () => {
  it('an artifact path outside the run directory fails the attempt; nothing is written outside', async () => {
    const names = queueNames(freshName('escape'));
    const outDir = mkdtempSync(join(tmpdir(), 'ucop-escape-'));
    const redis = new Redis(TEST_REDIS_URL);
    const fences = new Fences(redis, names);
    // A worker that answers every job with a crafted result, as a compromised or buggy worker could.
    const rogue = new Worker(
      names.queue,
      async (job) => {
        const token = await fences.claim(job.id!);
        const content = Buffer.from('pwned');
        const artifact = { path: '../escaped.txt', sha256: createHash('sha256').update(content).digest('hex'), content: content.toString('base64') };
        await fences.commit(job.id!, token, JSON.stringify({ ok: true, output: null, writes: [], artifacts: [artifact], worker: 'rogue', token }));
        return 'committed';
      },
      { prefix: names.prefix, connection: createRedis(TEST_REDIS_URL) },
    );
    const executor = await BullmqExecutor.open({ redisUrl: TEST_REDIS_URL, names, artifacts: createArtifactWriter(join(outDir, 'run')) });
    try {
      const result = await executor.execute(task('t.write', { text: 'x' }), context());
      expect(!result.ok && isUcopError(result.error) && result.error.code).toBe('ARTIFACT_PATH_ESCAPE');
      expect(existsSync(join(outDir, 'escaped.txt'))).toBe(false);
    } finally {
      await executor.close();
      await rogue.close();
      (rogue.opts.connection as Redis).disconnect();
      await removeKeys(redis, keyPattern(names));
      redis.disconnect();
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!available)('fences (real Redis)', () => {
  it('a late result of an earlier delivery is refused; the current one is stored once; then nothing runs again', async () => {
    const names = queueNames(freshName('fence'));
    const redis = new Redis(TEST_REDIS_URL);
    const fences = new Fences(redis, names);
    try {
      const first = await fences.claim('job');
      const second = await fences.claim('job'); // the job stalled and was delivered again
      expect(second).toBe(first + 1);
      expect(await fences.commit('job', first, '"late"')).toBe(false);
      expect(await fences.commit('job', second, '"current"')).toBe(true);
      expect(await fences.commit('job', second, '"twice"')).toBe(false);
      expect(await fences.claim('job')).toBe(0); // answered: a third delivery does not run the agent
      expect(await fences.take('job')).toBe('"current"');
      expect(await fences.take('job')).toBeNull();
      const third = await fences.claim('cancelled');
      await fences.close('cancelled');
      expect(await fences.commit('cancelled', third, '"after cancel"')).toBe(false);
    } finally {
      await removeKeys(redis, keyPattern(names));
      redis.disconnect();
    }
  });
});

describe('Redis checked at start', () => {
  it('refuses an unreachable Redis with REDIS_UNAVAILABLE', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const error = await connectAndCheck(createRedis(url, { retryStrategy: () => null }), url, 2000).catch((e: unknown) => e);
    expect(isUcopError(error) && error.code).toBe('REDIS_UNAVAILABLE');
  });

  it.skipIf(!available)('refuses a Redis whose maxmemory-policy evicts keys with REDIS_CONFIG_REFUSED', async () => {
    const server = await OwnRedisServer.start(['--maxmemory', '100mb', '--maxmemory-policy', 'allkeys-lru']);
    try {
      const error = await connectAndCheck(createRedis(server.url), server.url).catch((e: unknown) => e);
      expect(isUcopError(error) && error.toJSON()).toMatchObject({ code: 'REDIS_CONFIG_REFUSED', fields: { policy: 'allkeys-lru' } });
    } finally {
      await server.dispose();
    }
  });
});
