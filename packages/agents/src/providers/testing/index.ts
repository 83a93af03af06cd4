// Test support for anything that talks to providers: a local OpenAI-compatible server with scripted
// behaviours and a request log, measurements over that log, and scripted adapters. (The fake Clock is
// core's: FakeClock from @ucop/core.)
export { startStubLlmServer } from './stub-llm-server.ts';
export type { StubLlmServer, StubLlmServerOptions, StubBehaviour, StubRequestRecord } from './stub-llm-server.ts';
export { maxArrivalsInWindow, maxConcurrency, minSpanOfArrivals } from './request-log.ts';
export type { TimedRequest } from './request-log.ts';
export { scriptedAdapter, providerErrors } from './scripted-adapter.ts';
export { ucopFailure } from './ucop-failure.ts';
export type { ScriptedAdapter, ScriptedStep } from './scripted-adapter.ts';
