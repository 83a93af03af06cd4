/**
 * Calls a provider did not answer and handed to the next one in its fallback list. The router only logs
 * them; without this, a run whose configured provider is down ends with "written offline" and no word on
 * why, which looks like a configuration mistake rather than an outage.
 */
import type { LogLevel, Logger } from '@ucop/core';

/** The calls one provider passed on, with the error codes it failed with and who took them. */
export interface ProviderFallback {
  provider: string;
  calls: number;
  /** Error codes of the failures, e.g. `PROVIDER_UNAVAILABLE` (unreachable, timeout), `PROVIDER_HTTP` (401: bad key). */
  codes: string[];
  /** The providers the calls went to next. */
  to: string[];
}

/**
 * A Logger for the provider router that keeps its fallback events: those whose fields name the failing
 * `provider`, the error `code` and the `next` provider. Everything else is dropped (the run's own logger
 * and the run record cover it).
 */
export class FallbackLog implements Logger {
  readonly #byProvider = new Map<string, { calls: number; codes: Set<string>; to: Set<string> }>();

  log(_level: LogLevel, _message: string, fields?: Record<string, unknown>): void {
    const provider = fields?.['provider'];
    const code = fields?.['code'];
    const next = fields?.['next'];
    if (typeof provider !== 'string' || typeof code !== 'string' || typeof next !== 'string') return;
    const entry = this.#byProvider.get(provider) ?? { calls: 0, codes: new Set<string>(), to: new Set<string>() };
    entry.calls += 1;
    entry.codes.add(code);
    entry.to.add(next);
    this.#byProvider.set(provider, entry);
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.log('debug', message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.log('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.log('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.log('error', message, fields);
  }

  /** Per provider, in the order they first failed. */
  fallbacks(): ProviderFallback[] {
    return [...this.#byProvider].map(([provider, e]) => ({ provider, calls: e.calls, codes: [...e.codes].sort(), to: [...e.to] }));
  }
}

/** One line per provider that passed calls on, saying what to check. */
export function formatFallbacks(fallbacks: readonly ProviderFallback[]): string[] {
  return fallbacks.map(
    (f) =>
      `  ${f.provider} did not answer ${f.calls} call${f.calls === 1 ? '' : 's'} (${f.codes.join(', ')}): ${f.calls === 1 ? 'it went' : 'they went'} to ${f.to.join(', ')}. ` +
      `Check its base_url, API key and limits in the providers file (\`ucop config show\` names it).`,
  );
}
