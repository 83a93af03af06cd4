import type { RunEventHub } from '../events/run-event-hub.ts';
import type { DaemonMetrics } from '../metrics/daemon-metrics.ts';
import type { RunExecutor, WorkflowCatalog } from '../pool/run-executor.ts';
import type { RunPool } from '../pool/run-pool.ts';
import type { RunQueue } from '../queue/run-queue.ts';

/** What the routes work with. */
export interface DaemonContext {
  queue: RunQueue;
  pool: RunPool;
  events: RunEventHub;
  catalog: WorkflowCatalog;
  executor: RunExecutor;
  metrics: DaemonMetrics;
  /** `<data-dir>/runs`: one directory per run. */
  runsDir: string;
  /** Aborted when the daemon stops: long requests (compiling a workflow, event streams) end with it. */
  signal: AbortSignal;
  /** Forgets a run's files (after a delete or retention). */
  removeRunFiles(id: string): Promise<void>;
}
