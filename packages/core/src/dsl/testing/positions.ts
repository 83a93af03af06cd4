/**
 * The 1-based line and column where `needle` starts in `source` (its `nth` occurrence, from 0), plus
 * `shift` characters: tests state positions by pointing at text, not by counting columns by hand.
 */
export function positionOf(source: string, needle: string, options: { nth?: number; shift?: number } = {}): { line: number; col: number } {
  let index = -1;
  for (let n = 0; n <= (options.nth ?? 0); n++) {
    index = source.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" occurs fewer than ${(options.nth ?? 0) + 1} times in the source`);
  }
  index += options.shift ?? 0;
  const before = source.slice(0, index);
  const line = before.split('\n').length;
  const col = index - before.lastIndexOf('\n');
  return { line, col };
}
