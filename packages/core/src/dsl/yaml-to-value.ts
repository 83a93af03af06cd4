import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { ErrorCode } from '../errors/error-codes.ts';
import type { YamlLimits } from './yaml-limits.ts';

/** Keys that could reach an object's prototype if a consumer ever merged the value into another object. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

// Explicit tags that only restate a JSON type are harmless; any other (`!!binary`, `!!set`, `!foo`) would
// produce something that is not plain data, or silently a string when the tag is unknown.
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/** A problem found while turning the node tree into plain values, with the offset it points at. */
export interface ConversionProblem {
  code: ErrorCode;
  message: string;
  offset: number;
  /** Another place the problem involves (the first occurrence of a duplicate key). */
  relatedOffset?: number;
}

/**
 * Turns a parsed YAML node tree into plain JavaScript values (objects, arrays, strings, numbers, booleans,
 * null) under the loader's limits. Forbidden and duplicate keys are reported and left out; aliases are
 * expanded into fresh copies (so that nothing downstream shares mutable values) within the alias budget.
 * Conversion stops at the first limit that is exceeded, because the rest of the value is then meaningless.
 */
export function yamlToValue(doc: Document, limits: YamlLimits): { value: unknown; problems: ConversionProblem[] } {
  const converter = new Converter(doc, limits);
  let value: unknown;
  try {
    value = converter.convert(doc.contents as Node | null, 1);
  } catch (error) {
    if (!(error instanceof LimitExceeded)) throw error;
    converter.problems.push(error.problem);
    value = undefined;
  }
  return { value, problems: converter.problems };
}

class LimitExceeded extends Error {
  readonly problem: ConversionProblem;
  constructor(problem: ConversionProblem) {
    super(problem.message);
    this.problem = problem;
  }
}

class Converter {
  readonly problems: ConversionProblem[] = [];
  readonly #doc: Document;
  readonly #limits: YamlLimits;
  #aliases = 0;
  #expanded = 0;
  #aliasDepth = 0;
  // Where the outermost alias being expanded sits: the place to point at when the expansion is too large.
  #aliasSite = 0;

  constructor(doc: Document, limits: YamlLimits) {
    this.#doc = doc;
    this.#limits = limits;
  }

  convert(node: Node | Pair | null | undefined, depth: number): unknown {
    if (node === null || node === undefined) return null;
    if (this.#aliasDepth > 0) this.#countExpansion(node);
    const tag = (node as Node).tag;
    if (tag !== undefined && !PLAIN_TAGS.has(tag)) {
      this.problems.push({ code: 'YAML_SYNTAX', message: `the tag \`${shortTag(tag)}\` is not supported: workflows hold plain data`, offset: offsetOf(node as Node) });
      return null;
    }
    if (isScalar(node)) return node.value ?? null;
    if (isAlias(node)) return this.#alias(node, depth);
    if (isMap(node) || isSeq(node)) {
      if (depth > this.#limits.maxDepth) {
        throw new LimitExceeded({
          code: 'YAML_TOO_DEEP',
          message: `nesting is deeper than ${this.#limits.maxDepth} levels: flatten the document`,
          offset: offsetOf(node),
        });
      }
      return isMap(node) ? this.#map(node.items, depth) : node.items.map((item) => this.convert(item as Node, depth + 1));
    }
    if (isPair(node)) return this.#map([node], depth);
    return null;
  }

  #map(pairs: readonly Pair[], depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pair of pairs) {
      const keyNode = pair.key as Node | null;
      const keyOffset = offsetOf(keyNode);
      if (keyNode !== null && !isScalar(keyNode)) {
        this.problems.push({ code: 'YAML_SYNTAX', message: 'map keys must be plain strings, not lists or maps', offset: keyOffset });
        continue;
      }
      const key = keyNode === null ? '' : String(keyNode.value ?? '');
      if (FORBIDDEN_KEYS.has(key)) {
        this.problems.push({
          code: 'YAML_FORBIDDEN_KEY',
          message: `the key \`${key}\` is not allowed: rename it`,
          offset: keyOffset,
        });
        continue;
      }
      if (Object.hasOwn(out, key)) {
        const first = offsetOf(pairs.find((p) => isScalar(p.key) && String(p.key.value ?? '') === key)?.key as Node | undefined);
        this.problems.push({
          code: 'YAML_DUPLICATE_KEY',
          message: `duplicate key \`${key}\`: each key may appear once in a map`,
          offset: keyOffset,
          relatedOffset: first,
        });
        continue;
      }
      out[key] = this.convert(pair.value as Node | null, depth + 1);
    }
    return out;
  }

  #alias(node: Node & { source: string; resolve(doc: Document): Node | undefined }, depth: number): unknown {
    this.#aliases++;
    if (this.#aliases > this.#limits.maxAliasCount) {
      throw new LimitExceeded({
        code: 'YAML_TOO_MANY_ALIASES',
        message: `more than ${this.#limits.maxAliasCount} aliases: write the values out or raise the limit`,
        // Inside an expansion, the alias the author wrote is the outermost one.
        offset: this.#aliasDepth > 0 ? this.#aliasSite : offsetOf(node),
      });
    }
    const target = node.resolve(this.#doc);
    if (target === undefined) {
      this.problems.push({ code: 'YAML_SYNTAX', message: `unknown alias \`*${node.source}\``, offset: offsetOf(node) });
      return null;
    }
    if (this.#aliasDepth === 0) this.#aliasSite = offsetOf(node);
    this.#aliasDepth++;
    try {
      return this.convert(target, depth);
    } finally {
      this.#aliasDepth--;
    }
  }

  #countExpansion(_node: Node | Pair): void {
    this.#expanded++;
    if (this.#expanded > this.#limits.maxAliasExpansion) {
      throw new LimitExceeded({
        code: 'YAML_TOO_MANY_ALIASES',
        message: `aliases expand to more than ${this.#limits.maxAliasExpansion} values (a "billion laughs" document): write the values out instead`,
        offset: this.#aliasSite,
      });
    }
  }
}

function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

function offsetOf(node: Node | null | undefined): number {
  return node?.range?.[0] ?? 0;
}
