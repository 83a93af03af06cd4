import { resolvePlainScalar } from '../yaml-core-schema.ts';

/** A plain data value, as YAML files hold them. */
export type PlainData = null | boolean | number | string | PlainData[] | { [key: string]: PlainData };

/**
 * Writes `value` as YAML in styles drawn from `seed`: block or flow collections, lists at their key's
 * indentation or deeper, compact `- key: value` items, plain, single- or double-quoted scalars, `|` and
 * `>` block scalars, indentation of 1 to 4 spaces, comments and blank lines, anchors on values, and
 * aliases where a value equal to an anchored one comes again. Everything it writes is in
 * the subset that yaml-subset-parser.ts reads, so the differential tests can demand that the subset parser
 * accepts it, and not only that it agrees with `yaml` when it does.
 */
export function renderYaml(value: PlainData, seed: number): string {
  return new Renderer(seed).document(value);
}

interface Block {
  lines: string[];
}

class Renderer {
  #state: number;
  /** Anchored values (by fingerprint) and their names, for the aliases. */
  readonly #anchors = new Map<string, string>();
  #anchorCount = 0;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  document(value: PlainData): string {
    const text = isNonEmptyCollection(value) && this.#chance(0.9) ? this.#block(value, this.#int(0, 2)).lines.join('\n') : this.#inline(value, false);
    return (this.#chance(0.3) ? '# a leading comment\n\n' : '') + text + (this.#chance(0.8) ? '\n' : '');
  }

  #block(value: PlainData[] | { [key: string]: PlainData }, indent: number): Block {
    const lines: string[] = [];
    const pad = ' '.repeat(indent);
    const entries: [string | undefined, PlainData][] = Array.isArray(value) ? value.map((v) => [undefined, v]) : Object.entries(value);
    for (const [key, item] of entries) {
      const head = key === undefined ? `${pad}-` : `${pad}${this.#key(key)}:`;
      const alias = this.#aliasOf(item);
      // A comment line as deep as the text of a block scalar above it would be more text.
      let deepestComment = indent;
      if (alias !== undefined) {
        lines.push(`${head} ${alias}${this.#comment()}`);
        deepestComment = indent + 2;
      } else if (key === undefined && isNonEmptyCollection(item) && this.#chance(0.4)) {
        // Compact: `- key: value` or `- - x`, the item's indentation being its column.
        const column = indent + 2 + this.#int(0, 2);
        const child = this.#block(item, column).lines;
        child[0] = head + ' '.repeat(column - indent - 1) + child[0]!.slice(column);
        lines.push(...child);
      } else {
        const anchor = this.#chance(0.1) ? `a${++this.#anchorCount}` : undefined;
        const written = this.#entryValue(item, indent, anchor === undefined ? head : `${head} &${anchor}`, key === undefined, lines);
        if (written === 'inline') deepestComment = indent + 2;
        if (anchor !== undefined) this.#anchors.set(fingerprint(item), anchor);
      }
      if (this.#chance(0.15)) lines.push(this.#chance(0.5) ? '' : `${' '.repeat(this.#int(0, deepestComment))}# between entries`);
    }
    return { lines };
  }

  /** Writes the value of a map entry or list item after `head` (`key:` or `-`, and an anchor). */
  #entryValue(item: PlainData, indent: number, head: string, listItem: boolean, lines: string[]): 'block' | 'inline' {
    if (isNonEmptyCollection(item) && this.#chance(0.7)) {
      const sameIndent = !listItem && Array.isArray(item) && this.#chance(0.5);
      lines.push(head + this.#comment());
      lines.push(...this.#block(item, sameIndent ? indent : indent + this.#int(1, 4)).lines);
      return 'block';
    }
    if (typeof item === 'string' && this.#chance(0.5) && this.#blockScalar(item, indent + this.#int(1, 4), head, lines)) return 'block';
    if (item === null && this.#chance(0.3)) {
      lines.push(head + this.#comment());
      return 'block';
    }
    lines.push(`${head} ${this.#inline(item, false)}${this.#comment()}`);
    return 'inline';
  }

  /** Writes `text` as a `|` or `>` block scalar when it can be, and says whether it did. */
  #blockScalar(text: string, indent: number, head: string, lines: string[]): boolean {
    const trailing = /\n*$/.exec(text)![0].length;
    const body = text.slice(0, text.length - trailing);
    const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : undefined;
    if (chomp === undefined || body === '' || /[^\n\x20-\x7e\u00a0-\ud7ff]/.test(body)) return false;
    const bodyLines = body.split('\n');
    if (bodyLines.some((l) => l.startsWith(' ') || (l !== '' && l.trim() === ''))) return false;
    const pad = ' '.repeat(indent);
    if (!body.includes('\n') && / [^ ]/.test(body) && !/ {2}|^ | $/.test(body) && this.#chance(0.5)) {
      // Folded: break the line at some of its spaces.
      const words = body.split(' ');
      lines.push(`${head} >${chomp}`);
      let line = words[0]!;
      for (const word of words.slice(1)) {
        if (this.#chance(0.5)) {
          lines.push(pad + line);
          line = word;
        } else {
          line += ' ' + word;
        }
      }
      lines.push(pad + line);
      return true;
    }
    lines.push(`${head} |${chomp}${this.#comment()}`);
    for (const line of bodyLines) lines.push(line === '' ? '' : pad + line);
    return true;
  }

  #inline(value: PlainData, flow: boolean): string {
    if (value === null) return this.#pick(['null', '~', 'Null', 'NULL']);
    if (typeof value === 'boolean') return this.#pick(value ? ['true', 'True', 'TRUE'] : ['false', 'False', 'FALSE']);
    if (typeof value === 'number') return number(value);
    if (typeof value === 'string') return this.#string(value, flow);
    const space = this.#chance(0.5) ? ' ' : '';
    if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${space}${value.map((v) => this.#flowItem(v)).join(', ')}${space}]`;
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{${space}${entries.map(([k, v]) => `${this.#string(k, true)}: ${this.#flowItem(v)}`).join(', ')}${space}}`;
  }

  #flowItem(value: PlainData): string {
    const alias = this.#aliasOf(value);
    if (alias !== undefined) return alias;
    if (!this.#chance(0.1)) return this.#inline(value, true);
    const anchor = `a${++this.#anchorCount}`;
    const text = `&${anchor} ${this.#inline(value, true)}`;
    this.#anchors.set(fingerprint(value), anchor);
    return text;
  }

  /** `*name` for a value equal to one anchored earlier, half of the time. */
  #aliasOf(value: PlainData): string | undefined {
    const name = this.#anchors.get(fingerprint(value));
    return name !== undefined && this.#chance(0.5) ? `*${name}` : undefined;
  }

  #key(key: string): string {
    return key.length <= 1000 ? this.#string(key, false) : JSON.stringify(key);
  }

  #string(text: string, flow: boolean): string {
    if (isPlainSafe(text, flow) && this.#chance(0.7)) return text;
    if (!/[^\x20-\x7e\u00a0-\ud7ff]/.test(text) && this.#chance(0.5)) return `'${text.replaceAll("'", "''")}'`;
    return JSON.stringify(text);
  }

  #comment(): string {
    return this.#chance(0.15) ? ' # a comment: with [brackets], {braces} and "quotes"' : '';
  }

  #chance(p: number): boolean {
    return this.#next() < p;
  }

  #int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }

  #pick<T>(items: readonly T[]): T {
    return items[this.#int(0, items.length - 1)]!;
  }

  // mulberry32
  #next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** Equal values, key order, -0 and NaN included, have equal fingerprints. */
function fingerprint(value: PlainData): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' ? `n:${number(v)}` : typeof v === 'string' ? `s:${v}` : v));
}

function isNonEmptyCollection(value: PlainData): value is PlainData[] | { [key: string]: PlainData } {
  return typeof value === 'object' && value !== null && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0);
}

function number(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/** Whether `text` reads back as itself when written without quotes (a conservative test). */
function isPlainSafe(text: string, flow: boolean): boolean {
  if (text === '' || text !== text.trim() || /[^\x20-\x7e\u00a0-\ud7ff]/.test(text)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(text) && !/^-[^\s,[\]{}]/.test(text)) return false;
  if (text.includes(': ') || text.endsWith(':') || text.includes(' #') || text.startsWith('---') || text.startsWith('...')) return false;
  if (flow && /[,[\]{}]/.test(text)) return false;
  return resolvePlainScalar(text) === text;
}
