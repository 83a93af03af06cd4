import type { LanguageModel } from 'ai';
import { UcopError, abortReason } from '@ucop/core';
import type { LlmRequest, Logger } from '@ucop/core';
import type { ProviderAdapter, ProviderCallResult } from './provider-adapter.ts';
import type { ProviderConfig } from './provider-config.ts';
import { promptWithContext } from './model-prompt.ts';

/** Options of {@link createAiSdkAdapter}. */
export interface AiSdkAdapterOptions {
  /** Where `api_key_env` is looked up. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Receives the SDK's warnings (unsupported settings and the like) instead of the console. */
  logger?: Logger;
  /** Replaces global fetch (tests, proxies). @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * A {@link ProviderAdapter} over the Vercel AI SDK for an `openai`, `anthropic` or `openai-compatible`
 * provider. One call is one HTTP request: the SDK's own retries are off (`maxRetries: 0`) because the
 * provider router retries, with the rate limiter and circuit breaker in the loop.
 * @throws UcopError CONFIG_INVALID when the provider needs a key and its variable is not set (the message
 *   names the variable, never a value).
 */
export function createAiSdkAdapter(config: ProviderConfig, options: AiSdkAdapterOptions = {}): ProviderAdapter {
  const env = options.env ?? process.env;
  const apiKey = config.apiKeyEnv === undefined ? undefined : env[config.apiKeyEnv];
  if (config.apiKeyEnv !== undefined && !apiKey) {
    throw new UcopError('CONFIG_INVALID', `provider \`${config.name}\` needs an API key: set the environment variable ${config.apiKeyEnv}`, {
      fields: { provider: config.name, apiKeyEnv: config.apiKeyEnv },
    });
  }
  if (config.kind === 'offline') {
    throw new UcopError('CONFIG_INVALID', `provider \`${config.name}\` is offline: it has no AI SDK adapter; use the offline writer`, {
      fields: { provider: config.name },
    });
  }
  // The AI SDK and the provider packages are imported on the first call, not at start-up: together they cost
  // a few hundred milliseconds to load, and most commands (validate, plan, offline runs) never call a model.
  // One model object per model id: the configured one, and any a step names with `model:`.
  const models = new Map<string, Promise<LanguageModel>>();
  const secrets = apiKey ? [apiKey] : [];
  // The SDK prints warnings to the console unless told otherwise; ours go to the logger (when the user has
  // not chosen a handler of their own).
  const sdkGlobals = globalThis as { AI_SDK_LOG_WARNINGS?: unknown };
  sdkGlobals.AI_SDK_LOG_WARNINGS ??= false;

  return {
    name: config.name,
    model: config.model,
    offline: false,
    async call(request: LlmRequest, signal: AbortSignal): Promise<ProviderCallResult> {
      if (signal.aborted) throw abortReason(signal);
      try {
        const modelId = request.model ?? config.model;
        let model = models.get(modelId);
        if (!model) {
          model = languageModel({ ...config, model: modelId }, apiKey, options.fetch);
          models.set(modelId, model);
        }
        if (request.outputSchema !== undefined) return await structuredCall(config, request, await model, signal);
        const [{ generateText }, resolvedModel] = await Promise.all([import('ai'), model]);
        const result = await generateText({
          model: resolvedModel,
          prompt: promptWithContext(request),
          ...(request.system === undefined ? {} : { system: request.system }),
          ...(request.maxTokens === undefined ? {} : { maxOutputTokens: request.maxTokens }),
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(request.stop === undefined || request.stop.length === 0 ? {} : { stopSequences: [...request.stop] }),
          abortSignal: signal,
          maxRetries: 0,
        });
        if (result.warnings && result.warnings.length > 0) {
          options.logger?.debug('provider warnings', { provider: config.name, warnings: result.warnings.map((w) => JSON.stringify(w)) });
        }
        if (result.text.trim() === '') {
          throw new UcopError('PROVIDER_BAD_RESPONSE', `${config.name}: the answer has no text (finish reason: ${result.finishReason})`, {
            fields: { provider: config.name, finishReason: result.finishReason },
            retryable: true,
          });
        }
        return {
          text: result.text,
          model: result.response.modelId || config.model,
          usage: { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 },
        };
      } catch (error) {
        // Whatever the SDK made of an abort, the caller's reason is the truth (timeout, fail-fast, cancel).
        if (signal.aborted) throw abortReason(signal);
        // The mapping reads the AI SDK's error classes, so it is loaded with the SDK, on the first call.
        const { toProviderError } = await import('./provider-error.ts');
        throw toProviderError(error, { provider: config.name, secrets });
      }
    },
  };
}

/**
 * Structured output through the SDK's `generateObject` with the request's JSON Schema. The SDK is given the
 * schema without a validator: checking the answer (and asking again with the errors) is the caller's job
 * (llm/structured-answer.ts), so an answer that is JSON but breaks the schema comes back as it is, and one
 * that is not JSON at all comes back with `object: undefined` and its text.
 */
async function structuredCall(config: ProviderConfig, request: LlmRequest, model: LanguageModel, signal: AbortSignal): Promise<ProviderCallResult> {
  const { generateObject, jsonSchema, NoObjectGeneratedError } = await import('ai');
  try {
    const result = await generateObject({
      model,
      schema: jsonSchema(request.outputSchema as Parameters<typeof jsonSchema>[0]),
      prompt: promptWithContext(request),
      ...(request.system === undefined ? {} : { system: request.system }),
      ...(request.maxTokens === undefined ? {} : { maxOutputTokens: request.maxTokens }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      abortSignal: signal,
      maxRetries: 0,
    });
    return {
      text: JSON.stringify(result.object),
      object: result.object,
      model: result.response.modelId || (request.model ?? config.model),
      usage: { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 },
    };
  } catch (error) {
    // The model answered, but not with JSON: an answer to correct, not a provider failure.
    if (NoObjectGeneratedError.isInstance(error) && error.text !== undefined) {
      return {
        text: error.text,
        object: undefined,
        model: error.response?.modelId || (request.model ?? config.model),
        usage: { inputTokens: error.usage?.inputTokens ?? 0, outputTokens: error.usage?.outputTokens ?? 0 },
      };
    }
    throw error;
  }
}

async function languageModel(config: ProviderConfig, apiKey: string | undefined, fetchImpl: typeof fetch | undefined): Promise<LanguageModel> {
  const common = {
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(config.baseUrl === undefined ? {} : { baseURL: config.baseUrl }),
    ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }),
  };
  switch (config.kind) {
    case 'openai': {
      const { createOpenAI } = await import('@ai-sdk/openai');
      return createOpenAI(common)(config.model);
    }
    case 'anthropic': {
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic(common)(config.model);
    }
    case 'openai-compatible': {
      const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
      return createOpenAICompatible({ ...common, name: config.name, baseURL: config.baseUrl ?? '', includeUsage: true })(config.model);
    }
    case 'offline':
      throw new UcopError('CONFIG_INVALID', `provider \`${config.name}\` is offline: it has no AI SDK adapter; use the offline writer`, {
        fields: { provider: config.name },
      });
  }
}
