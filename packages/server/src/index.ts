/**
 * `@ucop/server`: the ucop daemon (`ucop serve`) and its client.
 *
 * ```ts
 * const daemon = await startDaemon({ dataDir: '/var/lib/ucop', executor, catalog, env: process.env });
 * // ... later, on SIGTERM:
 * await daemon.stop();
 * ```
 */
export { startDaemon } from './daemon.ts';
export type { DaemonOptions, RunningDaemon } from './daemon.ts';
export type { RunExecutor, RunJob, RunHooks, RunOutcome, WorkflowCatalog, WorkflowInfo, ProviderMetrics } from './pool/run-executor.ts';
export { RUN_STATES, FINAL_STATES, isFinalState } from './queue/run-state.ts';
export type { RunState } from './queue/run-state.ts';
export { TOKEN_FILE, readTokenFile } from './auth/token.ts';
export { DaemonClient, resolveClientToken } from './client/daemon-client.ts';
export type { DaemonClientOptions, SubmitOptions, ClientEvent } from './client/daemon-client.ts';
export type { RunView } from './http/run-view.ts';
