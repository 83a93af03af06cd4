import { readBlockScalar } from './yaml-block-scalar.ts';
import type { Chomping } from './yaml-block-scalar.ts';
import { resolvePlainScalar } from './yaml-core-schema.ts';
import { readQuotedScalar } from './yaml-quoted-scalar.ts';
import { FORBIDDEN_KEYS } from './yaml-to-value.ts';

/**
 * A fast parser for the plain subset of YAML that workflows and configuration files are written in: block
 * maps and lists, single-line flow maps and lists, single-line plain and quoted scalars, `|` and `>` block
 * scalars, comments. `yaml`'s parseDocument spends most of its time building its concrete syntax tree and
 * node tree (about 0.6 s for a 10,000-step workflow); this parser builds the plain values directly, about
 * ten times faster.
 *
 * It accepts a file only when it is sure to give the values `yaml` would give and sure that the full
 * loader would find nothing to report. Everything else returns `undefined` and goes to the full parser:
 * anchors, aliases, tags, directives, document markers, `?` keys, multi-line plain, quoted or flow
 * scalars, tabs and carriage returns, duplicate and forbidden keys, nesting deeper than the limit, and any
 * syntax error. So the diagnostics, and their wording, all come from the one full path.
 */
export function parseYamlSubset(source: string, maxDepth: number): { value: unknown } | undefined {
  if (OUTSIDE_CHARACTERS.test(source)) return undefined;
  try {
    return { value: new SubsetParser(source, maxDepth).document() };
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

class OutsideSubset extends Error {}
// Thrown (one instance, no stack trace to build per use) to leave the subset at any depth.
const OUTSIDE = new OutsideSubset('outside the YAML subset');

const SPACE = 0x20;
const LF = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const COMMA = 0x2c;

interface Key {
  name: string;
  /** Just after the `:`. */
  valueStart: number;
}

class SubsetParser {
  readonly #src: string;
  readonly #maxDepth: number;
  // The current content line (neither blank nor a comment): where it starts, its indentation, where it
  // ends (its line break or the end of the text). Each parse method leaves the parser on the first content
  // line after the node it read.
  #lineStart = 0;
  #indent = -1;
  #lineEnd = 0;
  #eof = false;

  constructor(src: string, maxDepth: number) {
    this.#src = src;
    this.#maxDepth = maxDepth;
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
      if (q === p && (code === 0x25 || src.startsWith('---', p) || src.startsWith('...', p))) throw OUTSIDE;
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
    if (code === 0x7c || code === 0x3e) throw OUTSIDE; // a block scalar on a line of its own
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
    const at = this.#skipSpaces(from);
    if (at < this.#lineEnd && this.#src.charCodeAt(at) !== HASH) return this.#inlineValue(at, mapIndent, depth);
    this.#seekContent(this.#lineEnd + 1);
    return this.#blockNode(mapIndent, depth, true);
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
    const at = this.#skipSpaces(from);
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
    if (code === 0x22 || code === 0x27) {
      const quoted = readQuotedScalar(src, at, this.#lineEnd) ?? fail();
      value = quoted.value;
      end = quoted.end;
    } else if (code === 0x5b || code === 0x7b) {
      const flow = this.#flow(at, depth);
      value = flow.value;
      end = flow.end;
    } else if (code === 0x7c || code === 0x3e) {
      return this.#blockScalar(at, ownerIndent);
    } else {
      if (!this.#plainStart(at, false)) throw OUTSIDE;
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
    const folded = src.charCodeAt(at) === 0x3e;
    let i = at + 1;
    let chomping: Chomping = 'clip';
    if (src.charCodeAt(i) === DASH) {
      chomping = 'strip';
      i++;
    } else if (src.charCodeAt(i) === 0x2b) {
      chomping = 'keep';
      i++;
    }
    this.#lineRest(i);
    if (ownerIndent < 0) throw OUTSIDE;
    const scalar = readBlockScalar(src, this.#lineEnd, ownerIndent, folded, chomping) ?? fail();
    this.#seekContent(scalar.next);
    return scalar.value;
  }

  /** A flow map or list that opens at `at` and closes on the same line. */
  #flow(at: number, depth: number): { value: unknown; end: number } {
    if (depth > this.#maxDepth) throw OUTSIDE;
    const src = this.#src;
    const isMap = src.charCodeAt(at) === 0x7b;
    const close = isMap ? 0x7d : 0x5d;
    const map: Record<string, unknown> = {};
    const list: unknown[] = [];
    const value = isMap ? map : list;
    let i = this.#skipSpaces(at + 1);
    if (src.charCodeAt(i) === close) return { value, end: i + 1 };
    for (;;) {
      if (isMap) {
        const key = this.#flowScalar(i);
        const name = String(key.value ?? '');
        i = this.#skipSpaces(key.end);
        // `{ a }`, `{ a: }`, `{"a":1}` and keys that are collections are valid YAML, but left to `yaml`.
        if (key.collection || src.charCodeAt(i) !== COLON || src.charCodeAt(i + 1) !== SPACE) throw OUTSIDE;
        if (FORBIDDEN_KEYS.has(name) || Object.hasOwn(map, name)) throw OUTSIDE;
        const item = this.#flowItem(this.#skipSpaces(i + 1), depth + 1);
        map[name] = item.value;
        i = item.end;
      } else {
        const item = this.#flowItem(i, depth + 1);
        list.push(item.value);
        i = item.end;
      }
      i = this.#skipSpaces(i);
      const code = src.charCodeAt(i);
      if (code === close) return { value, end: i + 1 };
      if (code !== COMMA) throw OUTSIDE;
      i = this.#skipSpaces(i + 1);
      if (src.charCodeAt(i) === close) throw OUTSIDE; // a trailing comma
    }
  }

  #flowItem(at: number, depth: number): { value: unknown; end: number } {
    const code = this.#src.charCodeAt(at);
    if (code === 0x5b || code === 0x7b) return this.#flow(at, depth);
    const scalar = this.#flowScalar(at);
    return { value: scalar.value, end: scalar.end };
  }

  /** A quoted or plain scalar inside a flow collection. */
  #flowScalar(at: number): { value: unknown; end: number; collection: boolean } {
    const src = this.#src;
    const code = src.charCodeAt(at);
    if (code === 0x5b || code === 0x7b) return { value: null, end: at, collection: true };
    if (code === 0x22 || code === 0x27) {
      const quoted = readQuotedScalar(src, at, this.#lineEnd) ?? fail();
      return { value: quoted.value, end: quoted.end, collection: false };
    }
    if (!this.#plainStart(at, true)) throw OUTSIDE;
    let end = at;
    for (; end < this.#lineEnd; end++) {
      const c = src.charCodeAt(end);
      if (isFlowIndicator(c)) break;
      if (c === COLON) {
        const next = src.charCodeAt(end + 1);
        if (next === SPACE || end + 1 === this.#lineEnd || isFlowIndicator(next)) break;
      }
      if (c === HASH && src.charCodeAt(end - 1) === SPACE) throw OUTSIDE; // a comment inside a flow collection
    }
    // The scalar must end at a flow indicator or a `:` on this line; a line break means a multi-line flow.
    if (end >= this.#lineEnd) throw OUTSIDE;
    const next = src.charCodeAt(end);
    if (next === 0x5b || next === 0x7b) throw OUTSIDE;
    let last = end;
    while (src.charCodeAt(last - 1) === SPACE) last--;
    return { value: resolvePlainScalar(src.slice(at, last)), end, collection: false };
  }

  /** The key of a map entry that starts at `at`, or undefined when the line holds no `key:` there. */
  #key(at: number): Key | undefined {
    const src = this.#src;
    const lineEnd = this.#lineEnd;
    const code = src.charCodeAt(at);
    if (code === 0x22 || code === 0x27) {
      const quoted = readQuotedScalar(src, at, lineEnd) ?? fail();
      const colon = this.#skipSpaces(quoted.end);
      if (src.charCodeAt(colon) !== COLON || (colon + 1 !== lineEnd && src.charCodeAt(colon + 1) !== SPACE)) return undefined;
      if (colon - at > 1024) throw OUTSIDE; // `yaml` refuses longer implicit keys
      return { name: quoted.value, valueStart: colon + 1 };
    }
    if (!this.#plainStart(at, false)) return undefined;
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

  /** Whether a plain scalar may start at `at`: not on an indicator, nor on `-`, `?`, `:` followed by a space. */
  #plainStart(at: number, flow: boolean): boolean {
    const src = this.#src;
    const code = src.charCodeAt(at);
    if (at >= this.#lineEnd || code === SPACE) return false;
    if (code === DASH) {
      const next = src.charCodeAt(at + 1);
      return at + 1 < this.#lineEnd && next !== SPACE && !(flow && isFlowIndicator(next));
    }
    return !INDICATORS.has(code);
  }

  /** Only spaces and a comment may follow a value on its line. */
  #lineRest(from: number): void {
    const at = this.#skipSpaces(from);
    if (at < this.#lineEnd && !(this.#src.charCodeAt(at) === HASH && at > from)) throw OUTSIDE;
  }

  #isDash(at: number): boolean {
    const src = this.#src;
    if (src.charCodeAt(at) !== DASH) return false;
    const next = src.charCodeAt(at + 1);
    return next === SPACE || next === LF || at + 1 >= src.length;
  }

  #skipSpaces(from: number): number {
    let i = from;
    while (this.#src.charCodeAt(i) === SPACE) i++;
    return i;
  }
}

// Characters that cannot start a plain scalar (`-` is handled apart; `?` and `:` are left to `yaml`).
const INDICATORS: ReadonlySet<number> = new Set([...',[]{}#&*!|>\'"%@`?:'].map((c) => c.charCodeAt(0)));

function isFlowIndicator(code: number): boolean {
  return code === COMMA || code === 0x5b || code === 0x5d || code === 0x7b || code === 0x7d;
}

function lineEndAt(src: string, from: number): number {
  const end = src.indexOf('\n', from);
  return end < 0 ? src.length : end;
}

function fail(): never {
  throw OUTSIDE;
}
