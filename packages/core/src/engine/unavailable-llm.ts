import type { LlmClient } from '../agents/llm-client.ts';
import { UcopError } from '../errors/ucop-error.ts';

/** The LLM client of a run that was given none: every call fails and says how to provide one. */
export const unavailableLlmClient: LlmClient = {
  generate() {
    return Promise.reject(
      new UcopError('PROVIDER_UNAVAILABLE', 'this run has no text-model client; pass `llm` to runWorkflow (the CLI sets up the provider layer, with the offline provider as the default)', {
        retryable: false,
      }),
    );
  },
};
