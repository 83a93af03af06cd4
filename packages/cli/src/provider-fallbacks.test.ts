import { describe, it, expect } from 'vitest';
import { FallbackLog, formatFallbacks } from './provider-fallbacks.ts';

describe('FallbackLog', () => {
  it('keeps the events that name the failing provider, the code and the next provider; drops the rest', () => {
    const log = new FallbackLog();
    log.warn('provider failed, falling back', { provider: 'openai', code: 'PROVIDER_UNAVAILABLE', next: 'offline' });
    log.warn('provider failed, falling back', { provider: 'openai', code: 'PROVIDER_HTTP', next: 'offline' });
    log.warn('provider failed, falling back', { provider: 'ollama', code: 'PROVIDER_UNAVAILABLE', next: 'openai' });
    log.info('answered by a fallback provider', { provider: 'offline', after: ['openai: PROVIDER_HTTP'] });
    log.warn('fallback provider skipped: not available', { provider: 'anthropic' });
    expect(log.fallbacks()).toEqual([
      { provider: 'openai', calls: 2, codes: ['PROVIDER_HTTP', 'PROVIDER_UNAVAILABLE'], to: ['offline'] },
      { provider: 'ollama', calls: 1, codes: ['PROVIDER_UNAVAILABLE'], to: ['openai'] },
    ]);
  });

  it('formats one line per provider saying what to check', () => {
    expect(formatFallbacks([{ provider: 'openai', calls: 1, codes: ['PROVIDER_HTTP'], to: ['offline'] }])).toEqual([
      '  openai did not answer 1 call (PROVIDER_HTTP): it went to offline. Check its base_url, API key and limits in the providers file (`ucop config show` names it).',
    ]);
  });
});
