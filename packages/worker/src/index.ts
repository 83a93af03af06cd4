/**
 * @ucop/worker: steps of a run executed by `ucop worker` processes on many machines through BullMQ (Redis).
 *
 * ```ts
 * const executor = await BullmqExecutor.open({ redisUrl: 'redis://127.0.0.1:6379', artifacts: createArtifactWriter(outDir) });
 * try { await runWorkflow(plan, { ...options, executor }); } finally { await executor.close(); }
 * ```
 */
export { BullmqExecutor } from './bullmq-executor.ts';
export type { BullmqExecutorOptions } from './bullmq-executor.ts';
export { StepWorker } from './step-worker.ts';
export type { StepWorkerOptions } from './step-worker.ts';
export { WorkerMetrics } from './worker-metrics.ts';
export { RedisLimitStore } from './redis-limit-store.ts';
export { connectAndCheck, createRedis, describeRedisUrl } from './redis-connection.ts';
export { queueNames, keyPattern, DEFAULT_QUEUE, DEFAULT_PREFIX } from './queue-names.ts';
export type { QueueNames } from './queue-names.ts';
export { DEFAULT_MAX_RESULT_BYTES } from './step-job.ts';
export { benchmarkWorkers } from './bench/worker-benchmark.ts';
export type { WorkerBenchmarkOptions, WorkerBenchmarkReport, ThroughputFigure } from './bench/worker-benchmark.ts';
