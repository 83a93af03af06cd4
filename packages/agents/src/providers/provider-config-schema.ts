/**
 * JSON Schema of `config/providers.yaml` (the raw YAML, snake_case). provider-config.ts validates with it
 * and then turns the document into the typed, defaulted {@link ProvidersConfig}.
 */

const DURATION = { type: 'string', pattern: '^(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$', minLength: 2 } as const;
const POSITIVE_INT = { type: 'integer', minimum: 1 } as const;
const PRICE = { type: 'number', minimum: 0 } as const;

export const PROVIDER_KINDS = ['openai', 'anthropic', 'openai-compatible', 'offline'] as const;

export const providersConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    providers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'kind'],
        properties: {
          name: { type: 'string', pattern: '^[a-z][a-z0-9_-]*$', maxLength: 64 },
          kind: { enum: PROVIDER_KINDS },
          model: { type: 'string', minLength: 1 },
          base_url: { type: 'string', pattern: '^https?://' },
          // The NAME of the variable (OPENAI_API_KEY), never the key: upper case, digits and underscores only,
          // which no provider's key looks like.
          api_key_env: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$', maxLength: 128 },
          limits: {
            type: 'object',
            additionalProperties: false,
            properties: {
              rpm: POSITIVE_INT,
              rpd: POSITIVE_INT,
              tpm: POSITIVE_INT,
              concurrency: POSITIVE_INT,
              adaptive: { type: 'boolean' },
              window: DURATION,
            },
          },
          cost: {
            type: 'object',
            additionalProperties: false,
            properties: { input_per_mtok: PRICE, output_per_mtok: PRICE },
          },
          timeout: DURATION,
        },
      },
    },
    fallback: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    retry: {
      type: 'object',
      additionalProperties: false,
      properties: {
        max_attempts: POSITIVE_INT,
        initial_delay: DURATION,
        max_delay: DURATION,
        max_retry_after: DURATION,
      },
    },
    breaker: {
      type: 'object',
      additionalProperties: false,
      properties: {
        failure_threshold: POSITIVE_INT,
        half_open_after: DURATION,
      },
    },
  },
} as const;
