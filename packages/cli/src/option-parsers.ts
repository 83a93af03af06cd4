import { InvalidArgumentError } from 'commander';
import { tryParseDuration } from '@ucop/core';

/**
 * Option value parsers for commander. They throw InvalidArgumentError, which commander reports with the
 * option's name and turns into a usage error (exit 2).
 */
export function positiveInteger(value: string): number {
  // Digits only: Number() would take `1e1`, `0x4` or `4.0` for a count of slots.
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}".`);
  return n;
}

export function nonNegativeInteger(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a whole number of at least 0, got "${value}".`);
  return n;
}

/** A decimal number above 0 (`0.5`, `2`); not `0x1`, `Infinity` or an empty value. */
export function positiveNumber(value: string): number {
  const n = /^\s*(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number above 0, got "${value}".`);
  return n;
}

/** Collects a repeatable option (`-i a=1 -i b=2`) into a list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `a,b , c` → ['a', 'b', 'c']; empty items are dropped. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** A duration such as `250ms`, `30s`, `2m`, `1h30m`; kept as written (the settings layers parse it). */
export function duration(value: string): string {
  if (tryParseDuration(value) === undefined) throw new InvalidArgumentError(`expected a duration such as 30s, 2m or 1h30m, got "${value}".`);
  return value;
}

/**
 * A duration above zero, for options that arm a guard (`--timeout`): the engine reads 0 as "no deadline", so
 * `--timeout 0ms` would silently run without one.
 */
export function guardDuration(value: string): string {
  if (tryParseDuration(duration(value)) === 0) {
    throw new InvalidArgumentError(`expected a duration above zero (0 would switch the deadline off; use a long one such as 24h for practically none), got "${value}".`);
  }
  return value;
}
