import { UcopError } from '../errors/ucop-error.ts';

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
// Units in the only order they may appear: `1h30m` reads naturally, `30m1h` is a typo waiting to happen.
const UNIT_RANK: Record<Unit, number> = { h: 0, m: 1, s: 2, ms: 3 };
const PART = /(\d+)(ms|h|m|s)/y;

/**
 * Parses a duration as written in a workflow: one or more `<integer><unit>` parts with units `h`, `m`, `s`,
 * `ms` from largest to smallest, each at most once: `250ms`, `30s`, `2m`, `1h`, `1h30m`, `1m30s500ms`.
 * @returns the duration in milliseconds.
 * @throws UcopError BAD_DURATION for anything else (numbers without a unit, decimals, spaces, unknown units).
 */
export function parseDuration(text: string): number {
  const ms = tryParseDuration(text);
  if (ms === undefined) {
    throw new UcopError('BAD_DURATION', badDurationMessage(text), { fields: { value: text } });
  }
  return ms;
}

/** Like {@link parseDuration} but returns `undefined` instead of throwing. */
export function tryParseDuration(text: string): number | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  let total = 0;
  let lastRank = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (!match) return undefined;
    const unit = match[2] as Unit;
    if (UNIT_RANK[unit] <= lastRank) return undefined;
    lastRank = UNIT_RANK[unit];
    total += Number(match[1]) * UNIT_MS[unit];
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/** The message for a value that is not a duration, with the fix spelled out. */
export function badDurationMessage(value: unknown): string {
  if (typeof value === 'number') {
    return `\`${value}\` is not a duration: give it a unit, e.g. \`${value}s\` or \`${value}ms\``;
  }
  return `\`${String(value)}\` is not a duration: write an integer and a unit (h, m, s, ms) such as \`250ms\`, \`30s\`, \`2m\`, \`1h30m\``;
}

/** Formats milliseconds as the shortest duration string that parses back to the same value. */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new UcopError('BAD_DURATION', `cannot format ${ms} ms as a duration`);
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ['h', 'm', 's', 'ms'] as const) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    if (count > 0) out += `${count}${unit}`;
    rest -= count * UNIT_MS[unit];
  }
  return out;
}
