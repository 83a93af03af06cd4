// Public API of the provider layer: configuration, adapters, the router agents call through, and the
// resilience pieces it is made of. Test support (stub server, fake clock) is in ./testing/index.ts.
export type { ProviderAdapter, ProviderCallResult } from './provider-adapter.ts';

export { loadProviderConfig, parseProviderConfig, checkProviderConfig, defaultProvidersConfig, DEFAULT_RETRY, DEFAULT_BREAKER } from './provider-config.ts';
export type { LimitsStoreSettings } from './provider-config.ts';
export { DEFAULT_LIMITS_STORE } from './provider-config.ts';
export type { ProvidersConfig, ProviderConfig, ProviderKind, ProviderLimits, ProviderCost, RetrySettings, BreakerSettings, ProviderConfigCheck } from './provider-config.ts';
export { providersConfigSchema, PROVIDER_KINDS } from './provider-config-schema.ts';

export { createAiSdkAdapter } from './ai-sdk-adapter.ts';
export type { AiSdkAdapterOptions } from './ai-sdk-adapter.ts';
export { createProviderAdapters } from './create-provider-adapters.ts';
export type { CreateProviderAdaptersOptions, ProviderAdapterSet } from './create-provider-adapters.ts';
export { retryAfterMs } from './retry-after.ts';

export { createProviderRouter } from './provider-router.ts';
export type { ProviderRouter, ProviderRouterOptions, ProviderStats, ScopedLlmClient } from './provider-router.ts';
export { selectProvider, httpProbe } from './select-provider.ts';
export type { SelectProviderOptions, ProviderSelection, ServerProbe } from './select-provider.ts';

export { RateLimiter } from './rate-limiter.ts';
export type { RateLimiterOptions, RateLimitCost, RateLimitPermit, RateLimiterSnapshot } from './rate-limiter.ts';
export type { SlidingWindowSpec } from './sliding-window-log.ts';
export { ProviderCircuitBreaker, countsAgainstProvider } from './circuit-breaker.ts';
export type { CircuitStateName, ProviderCircuitBreakerOptions } from './circuit-breaker.ts';
export { AdaptiveConcurrency } from './adaptive-concurrency.ts';
export type { AdaptiveConcurrencyOptions } from './adaptive-concurrency.ts';
export { decideRetry } from './retry-delay.ts';
export type { RetryDecision } from './retry-delay.ts';
export { UsageLedger, costOf } from './usage-ledger.ts';
export type { FallbackUsage, UsageReport, ProviderUsage } from './usage-ledger.ts';
