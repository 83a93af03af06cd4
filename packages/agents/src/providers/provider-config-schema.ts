import { WORKFLOW_SCHEMA } from '@ucop/core';

/**
 * JSON Schema of `config/providers.yaml` (the raw YAML, snake_case). provider-config.ts validates with it
 * and then turns the document into the typed, defaulted {@link ProvidersConfig}.
 */

// Numbers are allowed here so that `timeout: 30` is told it needs a unit (BAD_DURATION, by the same
// duration check as workflows and config/main.yaml) rather than that it is not a string.
const DURATION = {
  description: 'A duration: an integer and a unit (h, m, s, ms), largest unit first: `250ms`, `30s`, `2m`, `1h30m`.',
  type: ['string', 'number'],
} as const;
const POSITIVE_INT = { type: 'integer', minimum: 1 } as const;
const PRICE = { type: 'number', minimum: 0 } as const;

// The per-stage policies have the same shape here (under `stages:`) as on a workflow step: taken from the
// workflow schema so that the two cannot drift apart.
const STAGE_DEFS = WORKFLOW_SCHEMA.$defs as Record<string, object>;
const STAGE_POLICY = {
  description: 'Per-stage policies for the step with this id (or `<workflow>/<step id>`); a step\'s own keys win.',
  type: 'object',
  additionalProperties: false,
  properties: {
    rate_limit: { $ref: '#/$defs/stageRateLimit' },
    breaker: { $ref: '#/$defs/stageBreaker' },
    providers: { $ref: '#/$defs/stageProviders' },
    batch: { $ref: '#/$defs/stageBatch' },
    workers: { $ref: '#/$defs/stageWorkers' },
  },
} as const;

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
          name: { description: 'Lower case letters, digits, `-` or `_`, starting with a letter.', type: 'string', pattern: '^[a-z][a-z0-9_-]*$', maxLength: 64 },
          kind: { enum: PROVIDER_KINDS },
          model: { type: 'string', minLength: 1 },
          base_url: { description: 'An http:// or https:// URL.', type: 'string', pattern: '^https?://' },
          // The NAME of the variable (OPENAI_API_KEY), never the key: upper case, digits and underscores only,
          // which no provider's key looks like. `writeOnly` keeps error messages from repeating what was
          // written, in case it is a key.
          api_key_env: {
            description: 'The NAME of the environment variable that holds the key (like OPENAI_API_KEY), never the key itself.',
            type: 'string',
            pattern: '^[A-Z_][A-Z0-9_]*$',
            maxLength: 128,
            writeOnly: true,
          },
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
    limits_store: {
      description: 'Where provider and stage limits are kept so that every run and process on this machine shares them.',
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { description: 'false: limits hold within one process only.', type: 'boolean' },
        dir: { description: 'Directory of limits.sqlite, relative to this file. Default: .ucop in the project directory.', type: 'string', minLength: 1 },
        wait: { description: 'false: a call that would wait for a limit fails at once (RATE_LIMIT_NO_WAIT), like --no-wait.', type: 'boolean' },
        lease_ttl: { ...DURATION, description: 'How long a crashed process keeps its concurrency slots. Default: 60s.' },
      },
    },
    stages: {
      description: 'Per-stage policies by step id (or `<workflow>/<step id>`).',
      type: 'object',
      additionalProperties: STAGE_POLICY,
    },
  },
  $defs: {
    duration: DURATION,
    stageRateLimit: STAGE_DEFS.stageRateLimit!,
    stageBreaker: STAGE_DEFS.stageBreaker!,
    stageProviders: STAGE_DEFS.stageProviders!,
    stageBatch: STAGE_DEFS.stageBatch!,
    stageWorkers: STAGE_DEFS.stageWorkers!,
  },
} as const;
