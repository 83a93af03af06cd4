import { DEFAULT_FILE_LIMITS, UcopError, isUcopError, checkConfigYaml, readTextFile, durationDiagnostic, formatPath, parseDuration, sortDiagnostics } from '@ucop/core';
import type { Diagnostic, DocPath, SourceMap, StagePolicySpec } from '@ucop/core';
import { usePrecompiledValidators } from '../registry/precompiled-validators.ts';
import { providersConfigSchema } from './provider-config-schema.ts';
import type { PROVIDER_KINDS } from './provider-config-schema.ts';

export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Limits of one provider; a missing limit is no limit. */
export interface ProviderLimits {
  /** Requests per window (a minute unless `windowMs` says otherwise). */
  rpm?: number;
  /** Requests per day; when used up the provider is exhausted and calls fall back. */
  rpd?: number;
  /** Tokens (prompt + answer) per window. */
  tpm?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Lower concurrency on 429s and rising latency, raise it again on success (AIMD). @default false */
  adaptive: boolean;
  /** Length of the `rpm`/`tpm` window: `window: 1s` makes `rpm: 50` a 50-per-second limit. @default 60000 */
  windowMs: number;
}

/** Price per million tokens, in USD. */
export interface ProviderCost {
  inputPerMtok: number;
  outputPerMtok: number;
}

/** One provider of `config/providers.yaml`, validated and with defaults applied. */
export interface ProviderConfig {
  name: string;
  kind: ProviderKind;
  model: string;
  baseUrl?: string;
  /** Name of the environment variable that holds the API key (never the key itself). */
  apiKeyEnv?: string;
  limits: ProviderLimits;
  cost: ProviderCost;
  /** Deadline of one call. @default 60000 */
  timeoutMs: number;
}

/** How the router retries a provider's retryable errors. */
export interface RetrySettings {
  /** Attempts per provider, the first included. @default 3 */
  maxAttempts: number;
  /** Backoff before the second attempt; doubles each time, with jitter. @default 500 */
  initialDelayMs: number;
  /** @default 30000 */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the call falls back instead. @default 60000 */
  maxRetryAfterMs: number;
}

/** The circuit breaker of each provider. */
export interface BreakerSettings {
  /** Consecutive failures that open the circuit. @default 5 */
  failureThreshold: number;
  /** Time the circuit stays open before a single probe call. @default 30000 */
  halfOpenAfterMs: number;
}

/** Where limits are kept across runs and processes (`limits_store:`). */
export interface LimitsStoreSettings {
  /** @default true */
  enabled: boolean;
  /** As written (relative to the providers file); absent: `.ucop` in the project directory. */
  dir?: string;
  /** false: fail fast instead of waiting for a limit. @default true */
  wait: boolean;
  /** @default 60000 */
  leaseTtlMs: number;
}

/** `config/providers.yaml`, validated and with defaults applied. */
export interface ProvidersConfig {
  providers: ProviderConfig[];
  /** Providers to try, in order, when the chosen one is open, exhausted or failing. */
  fallback: string[];
  retry: RetrySettings;
  breaker: BreakerSettings;
  /** @default enabled, waiting, lease 60 s */
  limitsStore?: LimitsStoreSettings;
  /** Per-stage policies by step id or `<workflow>/<step id>` (see @ucop/core StagePolicySpec). */
  stages?: Record<string, StagePolicySpec>;
}

export const DEFAULT_LIMITS_STORE: LimitsStoreSettings = { enabled: true, wait: true, leaseTtlMs: 60_000 };

export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 3, initialDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };
export const DEFAULT_BREAKER: BreakerSettings = { failureThreshold: 5, halfOpenAfterMs: 30_000 };
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_WINDOW_MS = 60_000;

/** The configuration used when there is no `config/providers.yaml`: only the offline writer. */
export function defaultProvidersConfig(): ProvidersConfig {
  return { providers: [offlineProvider()], fallback: [], retry: { ...DEFAULT_RETRY }, breaker: { ...DEFAULT_BREAKER } };
}

/** Result of checking a providers file: a config when there were no problems. */
export interface ProviderConfigCheck {
  config: ProvidersConfig | undefined;
  diagnostics: Diagnostic[];
}

/**
 * Reads and validates a providers file.
 * @throws UcopError FILE_NOT_FOUND when it does not exist; CONFIG_INVALID (or CONFIG_UNKNOWN_KEY) naming
 *   every field at fault, with `fields.diagnostics`.
 */
export async function loadProviderConfig(file: string, options: { maxBytes?: number; limitSetting?: string; signal?: AbortSignal } = {}): Promise<ProvidersConfig> {
  let text: string;
  try {
    text = await readTextFile(file, {
      maxBytes: options.maxBytes ?? DEFAULT_FILE_LIMITS.configBytes,
      what: 'providers file',
      tooLargeCode: 'YAML_TOO_LARGE',
      ...(options.limitSetting ? { limitSetting: options.limitSetting } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (isUcopError(error) && error.code === 'FILE_NOT_FOUND') {
      throw new UcopError('FILE_NOT_FOUND', `${file} does not exist: create it (see config/providers.yaml) or leave it out to write offline`, { fields: { file } });
    }
    throw error;
  }
  return parseProviderConfig(text, file, options.maxBytes);
}

/** Validates the text of a providers file; throws like {@link loadProviderConfig}. */
export function parseProviderConfig(text: string, file = 'config/providers.yaml', maxBytes?: number): ProvidersConfig {
  const { config, diagnostics } = checkProviderConfig(text, file, maxBytes);
  if (config) return config;
  const first = diagnostics[0]!;
  const code = diagnostics.every((d) => d.code === 'CONFIG_UNKNOWN_KEY') ? 'CONFIG_UNKNOWN_KEY' : 'CONFIG_INVALID';
  const list = diagnostics.map((d) => `  ${d.line}:${d.col} ${d.message}${d.hint ? ` (${d.hint})` : ''}`).join('\n');
  throw new UcopError(code, `${file}: ${diagnostics.length === 1 ? first.message : `${diagnostics.length} problems:\n${list}`}`, {
    fields: { file, diagnostics },
    location: { file, line: first.line, col: first.col },
  });
}

/**
 * Validates the text of a providers file and reports every problem as a diagnostic. The file is read like
 * every ucop YAML file (size, depth and alias limits; duplicate and `__proto__` keys refused), then checked
 * against {@link providersConfigSchema}, then for what a schema cannot say (unique names, references,
 * per-kind requirements).
 */
export function checkProviderConfig(text: string, file = 'config/providers.yaml', maxBytes?: number): ProviderConfigCheck {
  usePrecompiledValidators();
  const { value, sourceMap, diagnostics } = checkConfigYaml(text, file, providersConfigSchema, maxBytes === undefined ? undefined : { maxBytes });
  if (value === undefined) return { config: undefined, diagnostics };
  diagnostics.push(...durationDiagnostics(value, sourceMap));
  if (diagnostics.length > 0) return { config: undefined, diagnostics: sortDiagnostics(diagnostics) };
  const found: Diagnostic[] = [];
  const config = build(value as RawConfig, (path, message, hint) => {
    const pos = sourceMap.locate(path);
    found.push({ file, line: pos.line, col: pos.col, code: 'CONFIG_INVALID', message: `${formatPath(path)}: ${message}`, ...(hint ? { hint } : {}) });
  });
  return found.length > 0 ? { config: undefined, diagnostics: found } : { config, diagnostics: found };
}

const RETRY_DURATIONS = ['initial_delay', 'max_delay', 'max_retry_after'];

// BAD_DURATION for every duration written in the file, with the grammar workflows use.
function durationDiagnostics(value: unknown, sourceMap: SourceMap): Diagnostic[] {
  const paths: DocPath[] = [...RETRY_DURATIONS.map((key) => ['retry', key]), ['breaker', 'half_open_after'], ['limits_store', 'lease_ttl']];
  const stages = valueAt(value, ['stages']);
  if (stages !== null && typeof stages === 'object') {
    for (const [name, policy] of Object.entries(stages)) {
      paths.push(['stages', name, 'rate_limit', 'window'], ['stages', name, 'breaker', 'half_open_after'], ['stages', name, 'batch', 'max_wait'], ['stages', name, 'workers', 'shrink_latency'], ['stages', name, 'workers', 'grow_latency']);
      const budgets = valueAt(policy, ['rate_limit', 'budgets']);
      if (Array.isArray(budgets)) budgets.forEach((_, i) => paths.push(['stages', name, 'rate_limit', 'budgets', i, 'per']));
    }
  }
  const providers = valueAt(value, ['providers']);
  if (Array.isArray(providers)) providers.forEach((_, i) => paths.push(['providers', i, 'timeout'], ['providers', i, 'limits', 'window']));
  return paths.flatMap((path) => durationDiagnostic(valueAt(value, path), path, sourceMap) ?? []);
}

function valueAt(root: unknown, path: DocPath): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

interface RawProvider {
  name: string;
  kind: ProviderKind;
  model?: string;
  base_url?: string;
  api_key_env?: string;
  limits?: { rpm?: number; rpd?: number; tpm?: number; concurrency?: number; adaptive?: boolean; window?: string };
  cost?: { input_per_mtok?: number; output_per_mtok?: number };
  timeout?: string;
}

interface RawConfig {
  providers?: RawProvider[];
  fallback?: string[];
  retry?: { max_attempts?: number; initial_delay?: string; max_delay?: string; max_retry_after?: string };
  breaker?: { failure_threshold?: number; half_open_after?: string };
  limits_store?: { enabled?: boolean; dir?: string; wait?: boolean; lease_ttl?: string };
  stages?: Record<string, StagePolicySpec>;
}

type Report = (path: (string | number)[], message: string, hint?: string) => void;

// Raw → typed, with the checks a schema cannot express (unique names, references, per-kind requirements).
function build(raw: RawConfig, report: Report): ProvidersConfig {
  const seen = new Set<string>();
  const providers = (raw.providers ?? []).map((p, i): ProviderConfig => {
    if (seen.has(p.name)) report(['providers', i, 'name'], `provider \`${p.name}\` is defined twice`, 'give each provider its own name');
    seen.add(p.name);
    if (p.kind !== 'offline' && p.model === undefined) report(['providers', i], `provider \`${p.name}\` needs a \`model\``);
    if (p.kind === 'openai-compatible' && p.base_url === undefined) {
      report(['providers', i], `provider \`${p.name}\` (openai-compatible) needs a \`base_url\``, 'for Ollama: http://127.0.0.1:11434/v1');
    }
    if ((p.kind === 'openai' || p.kind === 'anthropic') && p.api_key_env === undefined) {
      report(['providers', i], `provider \`${p.name}\` (${p.kind}) needs \`api_key_env\`, the name of the variable that holds its key`);
    }
    if (p.limits?.adaptive === true && p.limits.concurrency === undefined) {
      report(['providers', i, 'limits', 'adaptive'], 'adaptive concurrency needs `concurrency`, the most it may use');
    }
    const limits: ProviderLimits = {
      adaptive: p.limits?.adaptive ?? false,
      windowMs: duration(p.limits?.window, DEFAULT_WINDOW_MS),
      ...pick(p.limits ?? {}, ['rpm', 'rpd', 'tpm', 'concurrency']),
    };
    return {
      name: p.name,
      kind: p.kind,
      model: p.model ?? (p.kind === 'offline' ? 'extractive' : ''),
      ...(p.base_url === undefined ? {} : { baseUrl: p.base_url.replace(/\/+$/, '') }),
      ...(p.api_key_env === undefined ? {} : { apiKeyEnv: p.api_key_env }),
      limits,
      cost: { inputPerMtok: p.cost?.input_per_mtok ?? 0, outputPerMtok: p.cost?.output_per_mtok ?? 0 },
      timeoutMs: duration(p.timeout, DEFAULT_TIMEOUT_MS),
    };
  });
  const names = new Set(providers.map((p) => p.name));
  (raw.fallback ?? []).forEach((name, i) => {
    if (!names.has(name) && name !== 'offline') {
      report(['fallback', i], `\`${name}\` is not a configured provider`, `configured: ${[...names].join(', ') || 'none'}`);
    }
  });
  // The offline writer is always there: it is what a run falls back to when nothing else is.
  if (!names.has('offline')) providers.push(offlineProvider());
  return {
    providers,
    fallback: raw.fallback ?? [],
    retry: {
      maxAttempts: raw.retry?.max_attempts ?? DEFAULT_RETRY.maxAttempts,
      initialDelayMs: duration(raw.retry?.initial_delay, DEFAULT_RETRY.initialDelayMs),
      maxDelayMs: duration(raw.retry?.max_delay, DEFAULT_RETRY.maxDelayMs),
      maxRetryAfterMs: duration(raw.retry?.max_retry_after, DEFAULT_RETRY.maxRetryAfterMs),
    },
    breaker: {
      failureThreshold: raw.breaker?.failure_threshold ?? DEFAULT_BREAKER.failureThreshold,
      halfOpenAfterMs: duration(raw.breaker?.half_open_after, DEFAULT_BREAKER.halfOpenAfterMs),
    },
    limitsStore: {
      enabled: raw.limits_store?.enabled ?? DEFAULT_LIMITS_STORE.enabled,
      wait: raw.limits_store?.wait ?? DEFAULT_LIMITS_STORE.wait,
      leaseTtlMs: duration(raw.limits_store?.lease_ttl, DEFAULT_LIMITS_STORE.leaseTtlMs),
      ...(raw.limits_store?.dir === undefined ? {} : { dir: raw.limits_store.dir }),
    },
    ...(raw.stages === undefined ? {} : { stages: raw.stages }),
  };
}

function offlineProvider(): ProviderConfig {
  return {
    name: 'offline',
    kind: 'offline',
    model: 'extractive',
    limits: { adaptive: false, windowMs: DEFAULT_WINDOW_MS },
    cost: { inputPerMtok: 0, outputPerMtok: 0 },
    timeoutMs: DEFAULT_TIMEOUT_MS,
  };
}

// The durations were checked before (durationDiagnostics): this cannot throw.
function duration(text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : parseDuration(text);
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
