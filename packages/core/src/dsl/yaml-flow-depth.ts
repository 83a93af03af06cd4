import { CST, Lexer } from 'yaml';

/**
 * The deepest flow-collection nesting (`[`, `{`) of a YAML text, when it is deeper than `limit`; otherwise
 * undefined. Returns the depth reached (at most `limit + 1`) and the offset of the bracket that passed the
 * limit.
 *
 * Why this runs before `yaml` parses: its parser and composer take seconds on a file of a million `[` (8 s
 * for 1 MiB on a 2-core machine) and then exhaust the stack. A linear character scan finds the candidates
 * in milliseconds; it skips quoted strings and comments but cannot tell a bracket inside a plain scalar
 * (`prompt: see [[x]]`) from a flow collection, so when it counts past the limit, `yaml`'s own Lexer (linear,
 * no recursion) gives the verdict and the position: brackets are flow indicators exactly when the Lexer
 * emits them as tokens of their own. The scan is a filter, never the judge.
 */
export function flowDepthOverLimit(source: string, limit: number): { depth: number; offset: number } | undefined {
  if (scanFlowDepth(source, limit) <= limit) return undefined;
  return lexedFlowDepth(source, limit);
}

/** Bracket depth counted character by character, stopping as soon as it passes `stopAt`. May over-count. */
function scanFlowDepth(source: string, stopAt: number): number {
  let depth = 0;
  let max = 0;
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
        if (max > stopAt) break;
      }
    } else if ((ch === ']' || ch === '}') && depth > 0) {
      depth--;
    }
    prev = ch;
  }
  return max;
}

function isTokenStart(prev: string): boolean {
  return prev === ' ' || prev === '\t' || prev === '\n' || prev === '[' || prev === '{' || prev === ',' || prev === ':' || prev === '-';
}

/** The flow depth as `yaml`'s Lexer tokenises the text: `[`/`{` and `]`/`}` tokens are flow indicators. */
function lexedFlowDepth(source: string, limit: number): { depth: number; offset: number } | undefined {
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(source)) {
    if (token === '[' || token === '{') {
      depth++;
      if (depth > limit) return { depth, offset };
    } else if ((token === ']' || token === '}') && depth > 0) {
      depth--;
    }
    // The Lexer's control tokens (document start, scalar marker, flow end) stand for no source text.
    if (token !== CST.DOCUMENT && token !== CST.SCALAR && token !== CST.FLOW_END) offset += token.length;
  }
  return undefined;
}
