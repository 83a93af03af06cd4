import { UcopError } from '@ucop/core';
import type { JsonSchema, LlmClient, LlmRequest, LlmResponse } from '@ucop/core';
import { schemaErrors } from './output-schema.ts';

/** What a structured call returned once its answer matched the schema. */
export interface StructuredAnswer {
  value: unknown;
  response: LlmResponse;
  /** Calls made, the first included. */
  attempts: number;
}

/**
 * Asks for an answer that matches `schema`, validating each with ajv; an answer that breaks it is asked for
 * again with the validation errors added to the prompt, up to `maxAttempts` calls in all.
 * @throws UcopError LLM_OUTPUT_INVALID (not retryable) with `fields.errors` of the last answer when none matched.
 */
export async function structuredAnswer(llm: LlmClient, request: LlmRequest, schema: JsonSchema, maxAttempts: number, signal: AbortSignal): Promise<StructuredAnswer> {
  let feedback = '';
  let errors: string[] = [];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const response = await llm.generate({ ...request, prompt: request.prompt + feedback, outputSchema: schema }, signal);
    const value = response.object !== undefined ? response.object : parseJson(response.text);
    errors = value === undefined ? ['(root) the answer is not valid JSON'] : schemaErrors(schema, value);
    if (errors.length === 0) return { value, response, attempts: attempt };
    feedback = correction(errors);
  }
  throw new UcopError('LLM_OUTPUT_INVALID', `the model's answers did not match the output schema in ${maxAttempts} attempt(s): ${errors.join('; ')}`, {
    fields: { attempts: maxAttempts, errors },
    retryable: false,
  });
}

function correction(errors: readonly string[]): string {
  return [
    '',
    '',
    'Your previous answer did not match the required JSON Schema:',
    ...errors.map((e) => `- ${e}`),
    'Answer again with JSON only, matching the schema exactly.',
  ].join('\n');
}

function parseJson(text: string): unknown {
  const trimmed = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, '$1');
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}
