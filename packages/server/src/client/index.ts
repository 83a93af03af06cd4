/**
 * `@ucop/server/client`: the daemon's client alone (the CLI's `submit` and `runs`), without the server and
 * its libraries (fastify, prom-client, sqlite).
 */
export { DaemonClient, resolveClientToken } from './daemon-client.ts';
export type { DaemonClientOptions, SubmitOptions, ClientEvent } from './daemon-client.ts';
export { RUN_STATES, FINAL_STATES, isFinalState } from '../queue/run-state.ts';
export type { RunState } from '../queue/run-state.ts';
export type { RunView } from '../http/run-view.ts';
export type { WorkflowInfo } from '../pool/run-executor.ts';
