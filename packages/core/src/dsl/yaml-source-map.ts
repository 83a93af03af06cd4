import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';
import type { DocPath, SourceMap } from './workflow-document.ts';
import { parseYamlDocument } from './yaml-parse-document.ts';
import type { ParsedYamlDocument } from './yaml-parse-document.ts';

type Position = { line: number; col: number };
type AnyNode = Node | Pair | null | undefined;

/**
 * A SourceMap over a parsed `yaml` Document. Positions are looked up lazily on the node tree (errors are
 * rare, documents can have 50,000 steps); each map's keys are indexed the first time a path goes through it.
 *
 * The Document is either the one the loader parsed, or parsed from the source text the first time a
 * position is asked for (`'on-demand'`): a workflow read through the JSON fast path is never parsed by `yaml`
 * unless one of its problems needs a position, and a valid workflow lets its Document go
 * ({@link YamlSourceMap.releaseDocument}), whose node tree is many times the size of the value. `yaml`
 * parses the same text into the same nodes every time, so positions are the same either way.
 */
export class YamlSourceMap implements SourceMap {
  readonly file: string;
  #parsed: ParsedYamlDocument | 'on-demand' | undefined;
  readonly #source: string;
  readonly #keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

  /**
   * @param parsed the Document of `source` the loader parsed; `'on-demand'` to parse it the first time a
   *   position is asked for; without it, every position is 1:1 (a file refused before it was parsed).
   */
  constructor(file: string, source: string, parsed?: ParsedYamlDocument | 'on-demand') {
    this.file = file;
    this.#source = source;
    this.#parsed = parsed;
  }

  /** Whether a Document is held: false for an on-demand map that no position was asked of yet. */
  get documentParsed(): boolean {
    return this.#parsed !== undefined && this.#parsed !== 'on-demand';
  }

  /**
   * Lets go of the Document (its node tree can be many times the size of the value): later positions parse
   * the source again, on demand. For a file that turned out valid, where positions are rarely asked for.
   */
  releaseDocument(): void {
    if (this.documentParsed) this.#parsed = 'on-demand';
  }

  #document(): ParsedYamlDocument | undefined {
    if (this.#parsed === 'on-demand') this.#parsed = parseYamlDocument(this.#source);
    return this.#parsed;
  }

  locate(path: DocPath): Position {
    const { node, key } = this.#walk(path);
    const offset = rangeStart(node) ?? rangeStart(key);
    return offset === undefined ? this.#fallback(path) : this.#position(offset);
  }

  /** The position of the key at `path`; for a missing path, the key of its nearest existing ancestor. */
  locateKey(path: DocPath): Position {
    const { key } = this.#walk(path);
    const offset = rangeStart(key);
    return offset === undefined ? this.locate(path) : this.#position(offset);
  }

  /**
   * The position of the character at `offset` inside the string at `path`, when the YAML text of that
   * string is a single line whose characters map one to one onto the value (plain scalars, quoted scalars
   * without escapes); otherwise the position of the string itself.
   */
  locateInValue(path: DocPath, offset: number): Position {
    const { node, complete } = this.#walk(path);
    const start = rangeStart(node);
    if (!complete || start === undefined || !isScalar(node) || typeof node.value !== 'string') return this.locate(path);
    const end = node.range?.[1] ?? start;
    const raw = this.#source.slice(start, end);
    const value = node.value;
    if (raw.includes('\n') || offset < 0 || offset > value.length) return this.#position(start);
    if (node.type === 'PLAIN' && raw.trimEnd() === value) return this.#position(start + offset);
    if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && raw.slice(1, -1) === value) {
      return this.#position(start + 1 + offset);
    }
    return this.#position(start);
  }

  /** The position of a byte offset in the source. */
  positionOf(offset: number): Position {
    return this.#position(offset);
  }

  #walk(path: DocPath): { node: AnyNode; key: AnyNode; complete: boolean } {
    const doc = this.#document()?.doc;
    let node: AnyNode = doc?.contents;
    let key: AnyNode;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      if (isAlias(node) && doc) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = this.#pair(node, String(segment));
        if (!pair) return { node, key, complete: false };
        key = pair.key as AnyNode;
        const value = pair.value as AnyNode;
        // A key with no value (`timeout:`) has no value node worth pointing at: use the key.
        if (value === null || value === undefined || rangeStart(value) === undefined || isEmptyScalar(value)) {
          return { node: key, key, complete: i === path.length - 1 };
        }
        node = value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as AnyNode;
        if (item === undefined || item === null) return { node, key, complete: false };
        key = undefined;
        node = isPair(item) ? (item.key as AnyNode) : item;
      } else {
        return { node, key, complete: false };
      }
    }
    return { node, key, complete: true };
  }

  #pair(map: YAMLMap, key: string): Pair | undefined {
    let index = this.#keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) {
        const k = pair.key;
        const name = isScalar(k) ? String(k.value) : undefined;
        if (name !== undefined && !index.has(name)) index.set(name, pair);
      }
      this.#keyIndex.set(map, index);
    }
    return index.get(key);
  }

  #fallback(path: DocPath): Position {
    return path.length === 0 ? { line: 1, col: 1 } : this.locate(path.slice(0, -1));
  }

  #position(offset: number): Position {
    const lines = this.#document()?.lines;
    if (!lines) return { line: 1, col: 1 };
    const pos = lines.linePos(offset);
    return { line: pos.line, col: pos.col };
  }
}

function rangeStart(node: AnyNode): number | undefined {
  if (!node || isPair(node)) return undefined;
  const range = (node as Node).range;
  return range ? range[0] : undefined;
}

function isEmptyScalar(node: Node | Pair): boolean {
  return isScalar(node) && node.value === null && node.range !== null && node.range !== undefined && node.range[0] === node.range[1];
}
