/**
 * How long a server asked us to wait, from its response headers: `retry-after-ms` (OpenAI's), else
 * `Retry-After` as delay-seconds (`"2"`, `"0.5"`) or an HTTP date (RFC 9110 §10.2.3).
 * @param nowMs wall-clock time to measure an HTTP date against. @default Date.now()
 * @returns milliseconds (≥ 0), or undefined when there is no usable header.
 */
export function retryAfterMs(headers: Readonly<Record<string, string | undefined>> | undefined, nowMs = Date.now()): number | undefined {
  if (!headers) return undefined;
  const header = (name: string): string | undefined => {
    for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name && value !== undefined) return value.trim();
    return undefined;
  };
  const ms = header('retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = header('retry-after');
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  // An HTTP date always names its month and zone; without a letter it is junk Date.parse might still accept.
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
