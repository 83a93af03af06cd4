import { UcopError, abortReason, systemClock } from '@ucop/core';
import type { Clock, LlmRequest } from '@ucop/core';
import type { ProviderAdapter, ProviderCallResult } from '../provider-adapter.ts';

/** What one call of a scripted adapter does. */
export type ScriptedStep =
  | { kind: 'answer'; text?: string; inputTokens?: number; outputTokens?: number; delayMs?: number }
  | { kind: 'fail'; error: UcopError; delayMs?: number }
  /** Waits until the signal aborts. */
  | { kind: 'hang' };

/** An adapter under test control, with a record of its calls. */
export interface ScriptedAdapter extends ProviderAdapter {
  readonly calls: { at: number; request: LlmRequest }[];
}

/**
 * A ProviderAdapter that follows a script (one step per call; the last step repeats), with delays on the
 * given Clock: router tests run on a fake clock with no network.
 */
export function scriptedAdapter(name: string, script: readonly ScriptedStep[] | ((call: number) => ScriptedStep), options: { clock?: Clock; offline?: boolean; model?: string } = {}): ScriptedAdapter {
  const clock = options.clock ?? systemClock;
  const calls: { at: number; request: LlmRequest }[] = [];
  const stepFor = (n: number): ScriptedStep => {
    if (typeof script === 'function') return script(n);
    const step = script[Math.min(n, script.length - 1)];
    if (!step) throw new Error(`scripted adapter ${name} has an empty script`);
    return step;
  };
  return {
    name,
    model: options.model ?? `${name}-model`,
    offline: options.offline ?? false,
    calls,
    async call(request: LlmRequest, signal: AbortSignal): Promise<ProviderCallResult> {
      const step = stepFor(calls.length);
      calls.push({ at: clock.now(), request });
      if (step.kind === 'hang') {
        await new Promise<never>((_, reject) => {
          if (signal.aborted) reject(abortReason(signal));
          signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
        });
      }
      if (step.kind !== 'hang' && step.delayMs) await clock.sleep(step.delayMs, signal);
      if (step.kind === 'fail') throw step.error;
      if (step.kind !== 'answer') throw new Error('unreachable');
      return {
        text: step.text ?? `${name} answer ${calls.length}`,
        model: options.model ?? `${name}-model`,
        usage: { inputTokens: step.inputTokens ?? 10, outputTokens: step.outputTokens ?? 20 },
      };
    },
  };
}

/** Errors as the AI SDK adapter maps them, for scripts. */
export const providerErrors = {
  http: (status: number): UcopError =>
    new UcopError('PROVIDER_HTTP', `HTTP ${status}`, { fields: { status }, retryable: status === 408 || status === 409 || status >= 500 }),
  rateLimited: (retryAfterMs?: number): UcopError =>
    new UcopError('PROVIDER_RATE_LIMITED', 'HTTP 429', { fields: { status: 429, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }, retryable: true }),
  badResponse: (): UcopError => new UcopError('PROVIDER_BAD_RESPONSE', 'malformed', { retryable: true }),
  unavailable: (): UcopError => new UcopError('PROVIDER_UNAVAILABLE', 'connection refused', { retryable: true }),
};
