import { UcopError } from '@ucop/core';
import type { LlmRequest, LlmResponse } from '@ucop/core';

/**
 * Requests that may share one model call: same provider choice, model, system prompt, sampling settings and
 * output schema. Only their prompts differ.
 */
export function batchKey(request: LlmRequest): string {
  return JSON.stringify([request.provider ?? null, request.fallback ?? null, request.model ?? null, request.system ?? null, request.temperature ?? null, request.maxTokens ?? null, request.stop ?? null, request.outputSchema ?? null]);
}

/**
 * One request asking for the answers of `requests` at once, as a JSON object `{ "answers": [...] }` with one
 * entry per request, in order: each a string for text requests, an instance of the output schema for
 * structured ones. Asked as structured output, so the provider's JSON mode (and the offline writer's schema
 * instances) apply.
 */
export function combineRequests(requests: readonly LlmRequest[]): LlmRequest {
  const first = requests[0]!;
  const n = requests.length;
  const parts = requests.map((r, i) => `### Request ${i + 1}\n${r.prompt}`);
  const prompt = [
    `Answer each of the following ${n} requests separately and independently.`,
    `Reply with a JSON object {"answers": [...]} holding exactly ${n} answers, the i-th answering request i.`,
    '',
    ...parts,
  ].join('\n\n');
  const item = first.outputSchema ?? { type: 'string' };
  const { outputSchema: _schema, stop: _stop, ...rest } = first;
  const maxTokens = first.maxTokens === undefined ? {} : { maxTokens: first.maxTokens * n };
  return {
    ...rest,
    ...maxTokens,
    prompt,
    context: requests.flatMap((r) => r.context ?? []),
    outputSchema: { type: 'object', required: ['answers'], properties: { answers: { type: 'array', minItems: n, maxItems: n, items: item } } },
  };
}

/**
 * The combined answer split back per request, usage shared out evenly. An answer that is not
 * `{ answers: [...] }` with one entry per request cannot be split: LLM_BATCH_UNSPLITTABLE, which says what
 * came back (the call's text is not repeated: it can be long).
 */
export function splitResponse(requests: readonly LlmRequest[], response: LlmResponse): LlmResponse[] {
  const n = requests.length;
  const value = response.object !== undefined ? response.object : parse(response.text);
  const answers = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { answers?: unknown }).answers : undefined;
  if (!Array.isArray(answers) || answers.length !== n) {
    const got = !Array.isArray(answers) ? (value === undefined ? 'text that is not JSON' : 'JSON without an `answers` list') : `${answers.length} answers`;
    throw new UcopError('LLM_BATCH_UNSPLITTABLE', `a batched call for ${n} requests came back with ${got} (provider ${response.provider}); lower batch.size or remove batch: from the step`, {
      fields: { provider: response.provider, requests: n, answers: Array.isArray(answers) ? answers.length : null },
      retryable: false,
    });
  }
  const share = (total: number, i: number): number => Math.floor(total / n) + (i < total % n ? 1 : 0);
  return requests.map((request, i): LlmResponse => {
    const answer = answers[i];
    const structured = request.outputSchema !== undefined;
    const split: LlmResponse = {
      text: typeof answer === 'string' && !structured ? answer : JSON.stringify(answer),
      provider: response.provider,
      model: response.model,
      usage: { inputTokens: share(response.usage.inputTokens, i), outputTokens: share(response.usage.outputTokens, i), costUsd: response.usage.costUsd / n },
      offline: response.offline,
    };
    if (structured) split.object = answer;
    if (response.fallbacks) split.fallbacks = response.fallbacks;
    if (response.rateLimitWaitMs !== undefined) split.rateLimitWaitMs = response.rateLimitWaitMs;
    return split;
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, '$1')) as unknown;
  } catch {
    return undefined;
  }
}
