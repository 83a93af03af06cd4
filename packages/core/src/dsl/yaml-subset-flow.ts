import { resolvePlainScalar } from './yaml-core-schema.ts';
import { readQuotedScalar } from './yaml-quoted-scalar.ts';
import type { SubsetContext } from './yaml-subset-scan.ts';
import {
  AMPERSAND,
  ASTERISK,
  COLON,
  COMMA,
  DOUBLE_QUOTE,
  HASH,
  OPEN_BRACE,
  OPEN_BRACKET,
  OUTSIDE,
  SINGLE_QUOTE,
  SPACE,
  anchorNameEnd,
  fail,
  isFlowIndicator,
  isPlainStart,
  readAlias,
  skipSpaces,
} from './yaml-subset-scan.ts';
import { FORBIDDEN_KEYS } from './yaml-to-value.ts';

/**
 * Flow collections (`[a, b]`, `{ k: v }`) for the subset parser: they must close on the line they open
 * on. `{ a }`, `{ a: }`, `{"a":1}`, `[a: 1]`, empty entries, trailing commas and keys that are collections
 * are valid YAML, but left to the full parser.
 */
export function readFlowCollection(ctx: SubsetContext, at: number, lineEnd: number, depth: number): { value: unknown; end: number } {
  if (depth > ctx.maxDepth) throw OUTSIDE;
  const src = ctx.src;
  const isMap = src.charCodeAt(at) === OPEN_BRACE;
  const close = isMap ? 0x7d : 0x5d;
  const map: Record<string, unknown> = {};
  const list: unknown[] = [];
  const value = isMap ? map : list;
  let i = skipSpaces(src, at + 1);
  if (src.charCodeAt(i) === close) return { value, end: i + 1 };
  for (;;) {
    if (isMap) {
      const code = src.charCodeAt(i);
      if (code === OPEN_BRACKET || code === OPEN_BRACE) throw OUTSIDE;
      const key = readFlowScalar(src, i, lineEnd);
      const name = String(key.value ?? '');
      i = skipSpaces(src, key.end);
      if (src.charCodeAt(i) !== COLON || src.charCodeAt(i + 1) !== SPACE) throw OUTSIDE;
      if (FORBIDDEN_KEYS.has(name) || Object.hasOwn(map, name)) throw OUTSIDE;
      const item = readFlowItem(ctx, skipSpaces(src, i + 1), lineEnd, depth + 1);
      map[name] = item.value;
      i = item.end;
    } else {
      const item = readFlowItem(ctx, i, lineEnd, depth + 1);
      list.push(item.value);
      i = item.end;
    }
    i = skipSpaces(src, i);
    const code = src.charCodeAt(i);
    if (code === close) return { value, end: i + 1 };
    if (code !== COMMA) throw OUTSIDE;
    i = skipSpaces(src, i + 1);
    if (src.charCodeAt(i) === close) throw OUTSIDE; // a trailing comma
  }
}

function readFlowItem(ctx: SubsetContext, at: number, lineEnd: number, depth: number): { value: unknown; end: number } {
  const src = ctx.src;
  const code = src.charCodeAt(at);
  if (code === OPEN_BRACKET || code === OPEN_BRACE) return readFlowCollection(ctx, at, lineEnd, depth);
  if (code === ASTERISK) return readAlias(ctx, at, lineEnd, depth);
  if (code === AMPERSAND) {
    const nameEnd = anchorNameEnd(src, at + 1, lineEnd);
    const name = src.slice(at + 1, nameEnd);
    const next = skipSpaces(src, nameEnd);
    const first = src.charCodeAt(next);
    if (next === nameEnd || first === AMPERSAND || first === ASTERISK || !ctx.anchors.open(name)) throw OUTSIDE;
    const aliasesBefore = ctx.anchors.aliasCount;
    const item = readFlowItem(ctx, next, lineEnd, depth);
    ctx.anchors.close(name, item.value, ctx.anchors.aliasCount - aliasesBefore);
    return item;
  }
  return readFlowScalar(src, at, lineEnd);
}

/** A quoted or plain scalar inside a flow collection. */
function readFlowScalar(src: string, at: number, lineEnd: number): { value: unknown; end: number } {
  const code = src.charCodeAt(at);
  if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) return readQuotedScalar(src, at, lineEnd) ?? fail();
  if (!isPlainStart(src, at, lineEnd, true)) throw OUTSIDE;
  let end = at;
  for (; end < lineEnd; end++) {
    const c = src.charCodeAt(end);
    if (isFlowIndicator(c)) break;
    if (c === COLON) {
      const next = src.charCodeAt(end + 1);
      if (next === SPACE || end + 1 === lineEnd || isFlowIndicator(next)) break;
    }
    if (c === HASH && src.charCodeAt(end - 1) === SPACE) throw OUTSIDE; // a comment inside a flow collection
  }
  // The scalar must end at a flow indicator or a `:` on this line; a line break means a multi-line flow.
  if (end >= lineEnd) throw OUTSIDE;
  const next = src.charCodeAt(end);
  if (next === OPEN_BRACKET || next === OPEN_BRACE) throw OUTSIDE;
  let last = end;
  while (src.charCodeAt(last - 1) === SPACE) last--;
  return { value: resolvePlainScalar(src.slice(at, last)), end };
}
