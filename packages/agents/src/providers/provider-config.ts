import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { UcopError } from '@ucop/core';
import type { Diagnostic } from '@ucop/core';
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

/** `config/providers.yaml`, validated and with defaults applied. */
export interface ProvidersConfig {
  providers: ProviderConfig[];
  /** Providers to try, in order, when the chosen one is open, exhausted or failing. */
  fallback: string[];
  retry: RetrySettings;
  breaker: BreakerSettings;
}

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
export async function loadProviderConfig(file: string): Promise<ProvidersConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UcopError('FILE_NOT_FOUND', `${file} does not exist: create it (see config/providers.yaml) or leave it out to write offline`, { fields: { file } });
    }
    throw error;
  }
  return parseProviderConfig(text, file);
}

/** Validates the text of a providers file; throws like {@link loadProviderConfig}. */
export function parseProviderConfig(text: string, file = 'config/providers.yaml'): ProvidersConfig {
  const { config, diagnostics } = checkProviderConfig(text, file);
  if (config) return config;
  const first = diagnostics[0]!;
  const code = diagnostics.every((d) => d.code === 'CONFIG_UNKNOWN_KEY') ? 'CONFIG_UNKNOWN_KEY' : 'CONFIG_INVALID';
  const list = diagnostics.map((d) => `  ${d.line}:${d.col} ${d.message}${d.hint ? ` (${d.hint})` : ''}`).join('\n');
  throw new UcopError(code, `${file}: ${diagnostics.length === 1 ? first.message : `${diagnostics.length} problems:\n${list}`}`, {
    fields: { file, diagnostics },
    location: { file, line: first.line, col: first.col },
  });
}

let validate: ReturnType<Ajv['compile']> | undefined;

/** Validates the text of a providers file and reports every problem as a diagnostic. */
export function checkProviderConfig(text: string, file = 'config/providers.yaml'): ProviderConfigCheck {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined): { line: number; col: number } => (offset === undefined ? { line: 1, col: 1 } : lineCounter.linePos(offset));
  if (doc.errors.length > 0) {
    return {
      config: undefined,
      diagnostics: doc.errors.map((e) => ({ file, ...at(e.pos[0]), code: 'CONFIG_INVALID' as const, message: `YAML: ${e.message.split('\n')[0]}` })),
    };
  }
  let raw: unknown;
  try {
    // A handful of aliases is plenty for a config file; the cap stops "billion laughs" expansion.
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    return { config: undefined, diagnostics: [{ file, line: 1, col: 1, code: 'CONFIG_INVALID', message: `YAML: ${(error as Error).message}` }] };
  }
  validate ??= new Ajv({ allErrors: true, strict: true }).compile(providersConfigSchema);
  if (!validate(raw)) {
    const diagnostics = (validate.errors ?? []).filter(meaningful).map((e) => schemaDiagnostic(e, doc, file, at));
    return { config: undefined, diagnostics: dedupe(diagnostics) };
  }
  const diagnostics: Diagnostic[] = [];
  const config = build(raw as RawConfig, (path, message, hint) => {
    diagnostics.push({ file, ...at(nodeAt(doc, path)?.range?.[0]), code: 'CONFIG_INVALID', message: `${fieldName(path)}: ${message}`, ...(hint ? { hint } : {}) });
  });
  return diagnostics.length > 0 ? { config: undefined, diagnostics } : { config, diagnostics };
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

const DURATION_UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

// The schema has already checked the grammar (`1m30s`, `250ms`); this only adds the parts up.
// TODO: use @ucop/core's parseDuration once the dsl area exports it, so there is one grammar.
function duration(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  let total = 0;
  for (const match of text.matchAll(/(\d+)(ms|h|m|s)/g)) total += Number(match[1]) * DURATION_UNITS[match[2]!]!;
  return total;
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

// Ajv reports the failing branch of `if`/`anyOf` and the like next to the real problem; keep the real one.
function meaningful(error: ErrorObject): boolean {
  return error.keyword !== 'if';
}

function schemaDiagnostic(error: ErrorObject, doc: Document, file: string, at: (offset: number | undefined) => { line: number; col: number }): Diagnostic {
  const path = error.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replaceAll('~1', '/').replaceAll('~0', '~')));
  if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    const allowed = Object.keys(propertiesAt(path));
    return {
      file,
      ...at(keyNodeAt(doc, path, key)?.range?.[0]),
      code: 'CONFIG_UNKNOWN_KEY',
      message: `${fieldName([...path, key])}: unknown key`,
      ...(allowed.length > 0 ? { hint: `allowed here: ${allowed.join(', ')}` } : {}),
    };
  }
  const node = nodeAt(doc, path);
  return { file, ...at(node?.range?.[0]), code: 'CONFIG_INVALID', message: `${fieldName(path)}: ${describe(error, path)}` };
}

const DURATION_KEYS = new Set(['timeout', 'window', 'initial_delay', 'max_delay', 'max_retry_after', 'half_open_after']);
const DURATION_HELP = 'must be a duration such as 250ms, 30s, 1m or 1h30m';

function describe(error: ErrorObject, path: (string | number)[]): string {
  const last = path.at(-1);
  if (typeof last === 'string' && DURATION_KEYS.has(last) && (error.keyword === 'type' || error.keyword === 'pattern' || error.keyword === 'minLength')) {
    return DURATION_HELP;
  }
  switch (error.keyword) {
    case 'required':
      return `missing \`${(error.params as { missingProperty: string }).missingProperty}\``;
    case 'enum':
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'pattern':
      if (last === 'api_key_env') return 'must be the NAME of an environment variable (like OPENAI_API_KEY), never the key itself';
      if (last === 'name') return 'must be lower case letters, digits, `-` or `_`, starting with a letter';
      if (last === 'base_url') return 'must be an http:// or https:// URL';
      return error.message ?? 'is invalid';
    default:
      return error.message ?? 'is invalid';
  }
}

function fieldName(path: (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? '(top level)' : out;
}

function nodeAt(doc: Document, path: (string | number)[]): YamlNode | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (node && typeof node === 'object' && 'range' in node) return node as YamlNode;
  }
  return undefined;
}

function keyNodeAt(doc: Document, path: (string | number)[], key: string): YamlNode | undefined {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.key)) return pair.key;
  }
  return nodeAt(doc, path);
}

// The schema properties allowed at a path, for "allowed here" hints.
function propertiesAt(path: (string | number)[]): Record<string, unknown> {
  let schema: unknown = providersConfigSchema;
  for (const part of path) {
    const s = schema as { properties?: Record<string, unknown>; items?: unknown };
    schema = typeof part === 'number' ? s.items : s.properties?.[part];
  }
  return ((schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {}) as Record<string, unknown>;
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.line}:${d.col}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

