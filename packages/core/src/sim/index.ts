export type { InvocationOutcome, InvocationRecord, InvocationRecorderOptions } from './invocation-recorder.ts';
export { InvocationRecorder } from './invocation-recorder.ts';
export type { SimDelayInput, SimDelayOptions } from './sim-delay-agent.ts';
export { createSimDelayAgent } from './sim-delay-agent.ts';
export type { SimNoopInput } from './sim-noop-agent.ts';
export { simNoopAgent } from './sim-noop-agent.ts';
