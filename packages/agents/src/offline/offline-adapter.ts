import type { ProviderAdapter } from '../providers/provider-adapter.ts';
import { estimateTokens, writeExtractive } from './extractive-writer.ts';
import { schemaInstance } from './schema-instance.ts';

/** The offline provider's model name; part of resume fingerprints through the step outputs. */
export const OFFLINE_MODEL = 'extractive-v1';

/**
 * The embedded default provider: no network, no key. It answers every request with the deterministic
 * extractive writer (see extractive-writer.ts), and a structured request (`outputSchema`) with a deterministic
 * instance of the schema (schema-instance.ts); usage is estimated at 4 characters per token.
 *
 * @example
 * const offline = createOfflineAdapter();
 * const { text } = await offline.call({ prompt: 'Write about retries', purpose: 'Retries', context }, signal);
 */
export function createOfflineAdapter(): ProviderAdapter {
  return {
    name: 'offline',
    model: OFFLINE_MODEL,
    offline: true,
    // Async so that an aborted signal is a rejected promise, like every other provider's.
    async call(request, signal) {
      signal.throwIfAborted();
      if (request.outputSchema !== undefined) {
        const object = schemaInstance(request.outputSchema, `${request.system ?? ''}\n${request.prompt}`);
        const text = JSON.stringify(object);
        return { text, object, model: OFFLINE_MODEL, usage: { inputTokens: estimateTokens(request.prompt), outputTokens: estimateTokens(text) } };
      }
      const text = writeExtractive(request);
      const input = [request.system ?? '', request.prompt, ...(request.context ?? []).map((d) => `${d.title ?? ''}\n${d.text}`)].join('\n');
      return { text, model: OFFLINE_MODEL, usage: { inputTokens: estimateTokens(input), outputTokens: estimateTokens(text) } };
    },
  };
}
