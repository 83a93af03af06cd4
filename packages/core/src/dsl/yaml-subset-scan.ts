import type { SubsetAnchors } from './yaml-subset-anchors.ts';

/**
 * Character-level rules shared by the subset parser's block (yaml-subset-parser.ts) and flow
 * (yaml-subset-flow.ts) readers, and the one way both leave the subset: throwing {@link OUTSIDE}.
 */

/** What the readers share while reading one file. */
export interface SubsetContext {
  readonly src: string;
  readonly maxDepth: number;
  readonly anchors: SubsetAnchors;
}

/** Thrown when the text is outside the subset: the file then goes to the full parser. */
export class OutsideSubset extends Error {}

/** The one instance thrown: no stack trace to build per use. */
export const OUTSIDE = new OutsideSubset('outside the YAML subset');

export function fail(): never {
  throw OUTSIDE;
}

export const SPACE = 0x20;
export const LF = 0x0a;
export const HASH = 0x23;
export const COLON = 0x3a;
export const DASH = 0x2d;
export const COMMA = 0x2c;
export const AMPERSAND = 0x26;
export const ASTERISK = 0x2a;
export const DOUBLE_QUOTE = 0x22;
export const SINGLE_QUOTE = 0x27;
export const OPEN_BRACKET = 0x5b;
export const OPEN_BRACE = 0x7b;

// Characters that cannot start a plain scalar (`-` is handled apart; `?` and `:` are left to `yaml`).
const INDICATORS: ReadonlySet<number> = new Set([...',[]{}#&*!|>\'"%@`?:'].map((c) => c.charCodeAt(0)));

export function isFlowIndicator(code: number): boolean {
  return code === COMMA || code === OPEN_BRACKET || code === 0x5d || code === OPEN_BRACE || code === 0x7d;
}

export function skipSpaces(src: string, from: number): number {
  let i = from;
  while (src.charCodeAt(i) === SPACE) i++;
  return i;
}

/** The index of the line break that ends the line holding `from`, or the end of the text. */
export function lineEndAt(src: string, from: number): number {
  const end = src.indexOf('\n', from);
  return end < 0 ? src.length : end;
}

/** Whether a plain scalar may start at `at`: not on an indicator, nor on `-` followed by a space. */
export function isPlainStart(src: string, at: number, lineEnd: number, flow: boolean): boolean {
  const code = src.charCodeAt(at);
  if (at >= lineEnd || code === SPACE) return false;
  if (code === DASH) {
    const next = src.charCodeAt(at + 1);
    return at + 1 < lineEnd && next !== SPACE && !(flow && isFlowIndicator(next));
  }
  return !INDICATORS.has(code);
}

/** The end of an anchor or alias name: `yaml` ends names at spaces, line breaks and flow indicators only. */
export function anchorNameEnd(src: string, from: number, lineEnd: number): number {
  let end = from;
  for (; end < lineEnd; end++) {
    const c = src.charCodeAt(end);
    if (c === SPACE || isFlowIndicator(c)) break;
  }
  if (end === from) throw OUTSIDE;
  return end;
}

/** The value of the alias at `at` (a `*`), whose value sits at `depth`, and where its name ends. */
export function readAlias(ctx: SubsetContext, at: number, lineEnd: number, depth: number): { value: unknown; end: number } {
  const end = anchorNameEnd(ctx.src, at + 1, lineEnd);
  const expanded = ctx.anchors.expand(ctx.src.slice(at + 1, end), depth) ?? fail();
  return { value: expanded.value, end };
}
