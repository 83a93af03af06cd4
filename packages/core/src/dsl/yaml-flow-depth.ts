/**
 * The deepest flow-collection nesting (`[`, `{`) in a YAML text, found with one linear scan before the
 * parser runs. The parser recurses once per level, so a file of a million `[` would exhaust the stack and
 * take seconds to fail; this scan refuses it in milliseconds. It skips quoted strings and comments, and
 * it may over-count brackets inside plain scalars: that only matters for absurd depths, which are refused
 * anyway. Returns the depth and the offset where it was first reached.
 */
export function maxFlowDepth(source: string, stopAt = Infinity): { depth: number; offset: number } {
  let depth = 0;
  let max = 0;
  let maxOffset = 0;
  let quote: '"' | "'" | undefined;
  let prev = '\n';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (quote !== undefined) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === "'" && quote === "'" && source[i + 1] === "'") i++; // `''` inside '...' is one quote
      else if (ch === quote) quote = undefined;
      prev = ch;
      continue;
    }
    if (ch === '#' && (prev === ' ' || prev === '\t' || prev === '\n')) {
      const end = source.indexOf('\n', i);
      if (end < 0) break;
      i = end;
      prev = '\n';
      continue;
    }
    if ((ch === '"' || ch === "'") && isTokenStart(prev)) {
      quote = ch;
    } else if (ch === '[' || ch === '{') {
      depth++;
      if (depth > max) {
        max = depth;
        maxOffset = i;
        if (max > stopAt) break;
      }
    } else if ((ch === ']' || ch === '}') && depth > 0) {
      depth--;
    }
    prev = ch;
  }
  return { depth: max, offset: maxOffset };
}

function isTokenStart(prev: string): boolean {
  return prev === ' ' || prev === '\t' || prev === '\n' || prev === '[' || prev === '{' || prev === ',' || prev === ':' || prev === '-';
}
