export type * from './step-executor.ts';
export type * from './run-events.ts';
export type * from './clock.ts';
export { systemClock, abortReason } from './clock.ts';
