import type { LlmClient } from '@ucop/core';
import { createOfflineAdapter } from '@ucop/agents';

/**
 * The text-model client of the parity check: the offline extractive writer, called directly. It needs no
 * network and no key, and is deterministic, so two runs of a shipped workflow can be compared byte for byte.
 */
export function createOfflineLlmClient(): LlmClient {
  const adapter = createOfflineAdapter();
  return {
    async generate(request, signal) {
      const result = await adapter.call(request, signal);
      return { text: result.text, provider: adapter.name, model: result.model, usage: { ...result.usage, costUsd: 0 }, offline: adapter.offline };
    },
  };
}
