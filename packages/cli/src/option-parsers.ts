import { InvalidArgumentError } from 'commander';

/**
 * Option value parsers for commander. They throw InvalidArgumentError, which commander reports with the
 * option's name and turns into a usage error (exit 2).
 */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}".`);
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
