/**
 * Masks secrets before anything is logged, traced or written to a run record. Two nets: values under keys
 * that name a secret, and strings that look like credentials (bearer tokens, `sk-...` keys) or contain a
 * value registered with {@link registerSecret}.
 */

/** What a masked value is replaced with. */
export const REDACTED = '[redacted]';

// Matched against the key lowercased with `-` turned into `_`. Anchored at the end so that LLM usage fields
// such as `inputTokens` or `maxTokens` stay visible while `accessToken` or `client_secret` are masked.
const SECRET_KEY = /(?:api_?key|secret(?:_?key)?|password|passwd|passphrase|authorization|token|private_?key|credentials?|cookie|access_?key)$/;

// `Bearer <token>` keeps the scheme so logs still show that a token was sent.
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
// OpenAI (`sk-`, `sk-proj-`), Anthropic (`sk-ant-`) and similar keys.
const SK_KEY = /\bsk-[A-Za-z0-9_-]{16,}/g;

// Shorter values would mask ordinary words in every message.
const MIN_REGISTERED_LENGTH = 6;
const registered = new Set<string>();
let registeredPattern: RegExp | undefined;

/**
 * Adds a known secret value (an API key read from the environment, say) to the process-wide list that is
 * always masked wherever it appears in a string. Values shorter than 6 characters are ignored.
 */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < MIN_REGISTERED_LENGTH || registered.has(value)) return;
  registered.add(value);
  registeredPattern = undefined;
}

/** Forgets every registered secret (for tests). */
export function clearRegisteredSecrets(): void {
  registered.clear();
  registeredPattern = undefined;
}

/** Whether a property name looks like it holds a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replaceAll('-', '_'));
}

function registeredRegExp(): RegExp | undefined {
  if (registered.size === 0) return undefined;
  if (!registeredPattern) {
    // Longest first, so that a secret containing another one is masked whole.
    const alternatives = [...registered].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    registeredPattern = new RegExp(alternatives.join('|'), 'g');
  }
  return registeredPattern;
}

/** Masks credentials and registered secrets inside one string. */
export function redactString(text: string): string {
  let out = text;
  const known = registeredRegExp();
  if (known) out = out.replace(known, REDACTED);
  if (out.includes('sk-')) out = out.replace(SK_KEY, REDACTED);
  return out.replace(BEARER, (_match, scheme: string) => `${scheme} ${REDACTED}`);
}

function redactInner(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redactString(value);
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(redactInner(item, seen));
    return out;
  }
  if (value instanceof Error) {
    // Errors are flattened to what logs and traces show; their stack may quote secrets too.
    const out: Record<string, unknown> = { name: value.name, message: redactString(value.message) };
    seen.set(value, out);
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = redactInner(code, seen);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value; // Dates, Maps, class instances: left as they are
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [key, item] of Object.entries(value)) {
    out[key] = item !== undefined && item !== null && isSecretKey(key) ? REDACTED : redactInner(item, seen);
  }
  return out;
}

/**
 * A copy of `value` with secrets masked: values of secret-looking keys (`api_key`, `apiKey`,
 * `authorization`, `token`, `password`, `secret`, ...) become `[redacted]`, and so do bearer tokens,
 * `sk-...` keys and registered secrets inside strings. Plain objects and arrays are copied (cycles kept);
 * Errors become `{ name, message, code }`; other objects are returned as they are.
 */
export function redactSecrets<T>(value: T): T {
  return redactInner(value, new WeakMap()) as T;
}

/** Whether any secret value is registered (masking data that has no secret to find costs nothing then). */
export function hasRegisteredSecrets(): boolean {
  return registered.size > 0;
}

function maskKnownInner(value: unknown, pattern: RegExp): unknown {
  if (typeof value === 'string') return value.replace(pattern, REDACTED);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      const masked = maskKnownInner(item, pattern);
      if (masked !== item) (out ??= [...value])[i] = masked;
    }
    return out ?? value;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const masked = maskKnownInner(item, pattern);
    if (masked !== item) (out ??= { ...value })[key] = masked;
  }
  return out ?? value;
}

/**
 * `value` with every registered secret value inside its strings masked, and nothing else changed (data an
 * agent returned keeps its keys, its `sk-`-looking test strings and its shape). Parts without a secret are
 * shared with the original, which is returned as it is when nothing matched. Values must be acyclic (the
 * engine checks results with findUnserialisable first).
 */
export function maskRegisteredSecrets<T>(value: T): T {
  const pattern = registeredRegExp();
  return pattern ? (maskKnownInner(value, pattern) as T) : value;
}
