import { readBlockScalar } from './yaml-block-scalar.ts';
import type { Chomping } from './yaml-block-scalar.ts';
import { resolvePlainScalar } from './yaml-core-schema.ts';
import type { YamlLimits } from './yaml-limits.ts';
import { readQuotedScalar } from './yaml-quoted-scalar.ts';
import { SubsetAnchors } from './yaml-subset-anchors.ts';
import { readFlowCollection } from './yaml-subset-flow.ts';
import type { SubsetContext } from './yaml-subset-scan.ts';
import {
  AMPERSAND,
  ASTERISK,
  COLON,
  DASH,
  DOUBLE_QUOTE,
  HASH,
  LF,
  OPEN_BRACE,
  OPEN_BRACKET,
  OUTSIDE,
  SINGLE_QUOTE,
  SPACE,
  anchorNameEnd,
  fail,
  isPlainStart,
  lineEndAt,
  readAlias,
  skipSpaces,
} from './yaml-subset-scan.ts';
import { FORBIDDEN_KEYS } from './yaml-to-value.ts';

/**
 * A fast parser for the plain subset of YAML that workflows and configuration files are written in: block
 * maps and lists, single-line flow maps and lists, single-line plain and quoted scalars, `|` and `>` block
 * scalars, anchors and aliases on values (expanded into copies under the alias limits), comments. `yaml`'s
 * parseDocument spends most of its time building its concrete syntax tree and node tree (about 0.6 s for a
 * 10,000-step workflow); this parser builds the plain values directly, about twenty times faster.
 *
 * It accepts a file only when it is sure to give the values `yaml` would give and sure that the full
 * loader would find nothing to report. Everything else returns `undefined` and goes to the full parser:
 * tags, directives, document markers, `?` keys, anchors and aliases on keys, multi-line plain, quoted or
 * flow scalars, tabs and carriage returns, duplicate and forbidden keys, any limit exceeded (nesting,
 * aliases), and any syntax error. So the diagnostics, and their wording, all come from the one full path.
 */
export function parseYamlSubset(source: string, limits: YamlLimits): { value: unknown } | undefined {
  if (OUTSIDE_CHARACTERS.test(source)) return undefined;
  try {
    return { value: new SubsetParser(source, limits).document() };
  } catch (error) {
    // A stack overflow can only come from a nesting limit raised very high: the full parser copes.
    if (error === OUTSIDE || error instanceof RangeError) return undefined;
    throw error;
  }
}

// Tabs, carriage returns, other control characters, NEL, BOM and the Unicode line separators: each has
// rules of its own in YAML, which this parser leaves to the full one.
// eslint-disable-next-line no-control-regex
const OUTSIDE_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029]/;

const PIPE = 0x7c;
const GREATER_THAN = 0x3e;

interface Key {
  name: string;
  /** Just after the `:`. */
  valueStart: number;
}

class SubsetParser {
  readonly #src: string;
  readonly #maxDepth: number;
  readonly #anchors: SubsetAnchors;
  readonly #ctx: SubsetContext;
  // The current content line (neither blank nor a comment): where it starts, its indentation, where it
  // ends (its line break or the end of the text). Each parse method leaves the parser on the first content
  // line after the node it read.
  #lineStart = 0;
  #indent = -1;
  #lineEnd = 0;
  #eof = false;

  constructor(src: string, limits: YamlLimits) {
    this.#src = src;
    this.#maxDepth = limits.maxDepth;
    this.#anchors = new SubsetAnchors(limits);
    this.#ctx = { src, maxDepth: limits.maxDepth, anchors: this.#anchors };
  }

  document(): unknown {
    this.#seekContent(0);
    if (this.#eof) return null;
    const value = this.#blockNode(-1, 1, false);
    if (!this.#eof) throw OUTSIDE;
    return value;
  }

  /** Moves to the first content line at or after `from`. */
  #seekContent(from: number): void {
    const src = this.#src;
    let p = from;
    while (p < src.length) {
      let q = p;
      while (src.charCodeAt(q) === SPACE) q++;
      if (q >= src.length) break;
      const code = src.charCodeAt(q);
      if (code === LF) {
        p = q + 1;
        continue;
      }
      const end = lineEndAt(src, q);
      if (code === HASH) {
        p = end + 1;
        continue;
      }
      // Directives and document markers.
      if (q === p && (code === 0x25 /* % */ || src.startsWith('---', p) || src.startsWith('...', p))) throw OUTSIDE;
      this.#lineStart = p;
      this.#indent = q - p;
      this.#lineEnd = end;
      return;
    }
    this.#eof = true;
    this.#indent = -1;
  }

  /**
   * The node on the current line when it is indented deeper than `parentIndent` (or, for the value of a
   * map entry, a list at the map's own indentation); otherwise null, leaving the line to the caller.
   */
  #blockNode(parentIndent: number, depth: number, listAtSameIndent: boolean): unknown {
    if (this.#eof) return null;
    const indent = this.#indent;
    const at = this.#lineStart + indent;
    if (indent < parentIndent) return null;
    if (indent === parentIndent) return listAtSameIndent && this.#isDash(at) ? this.#blockSeq(indent, depth, at) : null;
    if (this.#isDash(at)) return this.#blockSeq(indent, depth, at);
    const key = this.#key(at);
    if (key) return this.#blockMap(indent, depth, key);
    const code = this.#src.charCodeAt(at);
    if (code === PIPE || code === GREATER_THAN) throw OUTSIDE; // a block scalar on a line of its own
    return this.#inlineValue(at, parentIndent, depth);
  }

  #blockMap(indent: number, depth: number, first: Key): Record<string, unknown> {
    if (depth > this.#maxDepth) throw OUTSIDE;
    const out: Record<string, unknown> = {};
    let key = first;
    for (;;) {
      if (FORBIDDEN_KEYS.has(key.name) || Object.hasOwn(out, key.name)) throw OUTSIDE;
      out[key.name] = this.#entryValue(key.valueStart, indent, depth + 1);
      if (this.#eof || this.#indent < indent) return out;
      if (this.#indent > indent) throw OUTSIDE;
      key = this.#key(this.#lineStart + indent) ?? fail();
    }
  }

  #entryValue(from: number, mapIndent: number, depth: number): unknown {
    const at = skipSpaces(this.#src, from);
    if (this.#src.charCodeAt(at) === AMPERSAND) return this.#anchored(at, mapIndent, depth, true);
    if (at < this.#lineEnd && this.#src.charCodeAt(at) !== HASH) return this.#inlineValue(at, mapIndent, depth);
    this.#seekContent(this.#lineEnd + 1);
    return this.#blockNode(mapIndent, depth, true);
  }

  /** A value with an anchor (`&name value`, or `&name` and a block node on the next lines). */
  #anchored(at: number, ownerIndent: number, depth: number, listAtSameIndent: boolean): unknown {
    const src = this.#src;
    const nameEnd = anchorNameEnd(src, at + 1, this.#lineEnd);
    if (nameEnd < this.#lineEnd && src.charCodeAt(nameEnd) !== SPACE) throw OUTSIDE;
    const name = src.slice(at + 1, nameEnd);
    if (!this.#anchors.open(name)) throw OUTSIDE;
    const aliasesBefore = this.#anchors.aliasCount;
    const rest = skipSpaces(src, nameEnd);
    const code = src.charCodeAt(rest);
    let value: unknown;
    if (rest >= this.#lineEnd || code === HASH) {
      this.#seekContent(this.#lineEnd + 1);
      value = this.#blockNode(ownerIndent, depth, listAtSameIndent);
    } else {
      if (code === AMPERSAND || code === ASTERISK) throw OUTSIDE;
      value = this.#inlineValue(rest, ownerIndent, depth);
    }
    this.#anchors.close(name, value, this.#anchors.aliasCount - aliasesBefore);
    return value;
  }

  #blockSeq(indent: number, depth: number, firstDash: number): unknown[] {
    if (depth > this.#maxDepth) throw OUTSIDE;
    const out: unknown[] = [];
    let dash = firstDash;
    for (;;) {
      out.push(this.#seqItem(dash + 1, indent, depth + 1));
      if (this.#eof || this.#indent < indent) return out;
      if (this.#indent > indent) throw OUTSIDE;
      dash = this.#lineStart + indent;
      // At the same indentation, a line without a dash is the next key of the map that holds this list.
      if (!this.#isDash(dash)) return out;
    }
  }

  #seqItem(from: number, seqIndent: number, depth: number): unknown {
    const at = skipSpaces(this.#src, from);
    if (this.#src.charCodeAt(at) === AMPERSAND) return this.#anchored(at, seqIndent, depth, false);
    if (at >= this.#lineEnd || this.#src.charCodeAt(at) === HASH) {
      this.#seekContent(this.#lineEnd + 1);
      return this.#blockNode(seqIndent, depth, false);
    }
    // Compact forms: `- - x` and `- key: value`, whose indentation is their column.
    const column = at - this.#lineStart;
    if (this.#isDash(at)) return this.#blockSeq(column, depth, at);
    const key = this.#key(at);
    if (key) return this.#blockMap(column, depth, key);
    return this.#inlineValue(at, seqIndent, depth);
  }

  /** A value that starts at `at` on the current line, and nothing but a comment after it. */
  #inlineValue(at: number, ownerIndent: number, depth: number): unknown {
    const src = this.#src;
    const code = src.charCodeAt(at);
    let value: unknown;
    let end: number;
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      const quoted = readQuotedScalar(src, at, this.#lineEnd) ?? fail();
      value = quoted.value;
      end = quoted.end;
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      const flow = readFlowCollection(this.#ctx, at, this.#lineEnd, depth);
      value = flow.value;
      end = flow.end;
    } else if (code === PIPE || code === GREATER_THAN) {
      return this.#blockScalar(at, ownerIndent);
    } else if (code === ASTERISK) {
      const alias = readAlias(this.#ctx, at, this.#lineEnd, depth);
      value = alias.value;
      end = alias.end;
    } else {
      if (!isPlainStart(src, at, this.#lineEnd, false)) throw OUTSIDE;
      end = this.#lineEnd;
      for (let i = at; i < end; i++) {
        const c = src.charCodeAt(i);
        // `a: b: c` is an error in YAML.
        if (c === COLON && (i + 1 === this.#lineEnd || src.charCodeAt(i + 1) === SPACE)) throw OUTSIDE;
        if (c === HASH && src.charCodeAt(i - 1) === SPACE) {
          end = i;
          break;
        }
      }
      while (src.charCodeAt(end - 1) === SPACE) end--;
      value = resolvePlainScalar(src.slice(at, end));
    }
    this.#lineRest(end);
    this.#seekContent(this.#lineEnd + 1);
    return value;
  }

  #blockScalar(at: number, ownerIndent: number): string {
    const src = this.#src;
    const folded = src.charCodeAt(at) === GREATER_THAN;
    let i = at + 1;
    let chomping: Chomping = 'clip';
    if (src.charCodeAt(i) === DASH) {
      chomping = 'strip';
      i++;
    } else if (src.charCodeAt(i) === 0x2b /* + */) {
      chomping = 'keep';
      i++;
    }
    this.#lineRest(i);
    if (ownerIndent < 0) throw OUTSIDE;
    const scalar = readBlockScalar(src, this.#lineEnd, ownerIndent, folded, chomping) ?? fail();
    this.#seekContent(scalar.next);
    return scalar.value;
  }

  /** The key of a map entry that starts at `at`, or undefined when the line holds no `key:` there. */
  #key(at: number): Key | undefined {
    const src = this.#src;
    const lineEnd = this.#lineEnd;
    const code = src.charCodeAt(at);
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      const quoted = readQuotedScalar(src, at, lineEnd) ?? fail();
      const colon = skipSpaces(src, quoted.end);
      if (src.charCodeAt(colon) !== COLON || (colon + 1 !== lineEnd && src.charCodeAt(colon + 1) !== SPACE)) return undefined;
      if (colon - at > 1024) throw OUTSIDE; // `yaml` refuses longer implicit keys
      return { name: quoted.value, valueStart: colon + 1 };
    }
    if (!isPlainStart(src, at, lineEnd, false)) return undefined;
    for (let i = at; i < lineEnd; i++) {
      const c = src.charCodeAt(i);
      if (c === HASH && src.charCodeAt(i - 1) === SPACE) return undefined;
      if (c === COLON && (i + 1 === lineEnd || src.charCodeAt(i + 1) === SPACE)) {
        if (i - at > 1024) throw OUTSIDE;
        let end = i;
        while (src.charCodeAt(end - 1) === SPACE) end--;
        return { name: String(resolvePlainScalar(src.slice(at, end)) ?? ''), valueStart: i + 1 };
      }
    }
    return undefined;
  }

  /** Only spaces and a comment may follow a value on its line. */
  #lineRest(from: number): void {
    const at = skipSpaces(this.#src, from);
    if (at < this.#lineEnd && !(this.#src.charCodeAt(at) === HASH && at > from)) throw OUTSIDE;
  }

  #isDash(at: number): boolean {
    const src = this.#src;
    if (src.charCodeAt(at) !== DASH) return false;
    const next = src.charCodeAt(at + 1);
    return next === SPACE || next === LF || at + 1 >= src.length;
  }
}
