import type { YamlLimits } from './yaml-limits.ts';

interface Anchored {
  value: unknown;
  /** Values in `value` (every scalar, list and map, expanded aliases included). */
  values: number;
  /** Levels of lists and maps in `value`; 0 for a scalar. */
  height: number;
  /** Aliases read while reading `value`, counted as yaml-to-value.ts counts them. */
  aliases: number;
}

/**
 * The anchors (`&name`) of a file read by the subset parser, and the expansion of its aliases (`*name`) into
 * fresh copies. The counts follow yaml-to-value.ts, which re-counts the aliases inside an anchored value each
 * time that value is expanded, and counts every value an expansion yields, so that the subset parser gives up
 * (and the full path reports the problem) whenever the full path would exceed a limit: the alias count, the
 * expansion budget (a "billion laughs" file is refused from its counts, before anything is copied) or the
 * nesting depth of an expanded value. An alias to an anchor that is unknown, or still open (an alias inside
 * the value it names), also gives up.
 */
export class SubsetAnchors {
  readonly #limits: YamlLimits;
  readonly #anchors = new Map<string, Anchored>();
  readonly #open = new Set<string>();
  #aliases = 0;
  #expanded = 0;

  constructor(limits: YamlLimits) {
    this.#limits = limits;
  }

  /** Aliases counted so far: the difference across an anchored value is that value's own count. */
  get aliasCount(): number {
    return this.#aliases;
  }

  /** Starts an anchored value; false when an anchor of that name is already open. */
  open(name: string): boolean {
    if (this.#open.has(name)) return false;
    this.#open.add(name);
    return true;
  }

  /** Ends an anchored value: later aliases of `name` copy it (a later anchor of the same name replaces it). */
  close(name: string, value: unknown, aliases: number): void {
    this.#open.delete(name);
    this.#anchors.set(name, { value, aliases, ...measure(value) });
  }

  /**
   * A fresh copy of the value anchored as `name`, for an alias whose value sits at `depth`; undefined when
   * the full path would report the alias (unknown, still open, over a limit).
   */
  expand(name: string, depth: number): { value: unknown } | undefined {
    const anchored = this.#anchors.get(name);
    if (!anchored || this.#open.has(name)) return undefined;
    this.#aliases += 1 + anchored.aliases;
    this.#expanded += anchored.values + anchored.aliases;
    if (this.#aliases > this.#limits.maxAliasCount || this.#expanded > this.#limits.maxAliasExpansion) return undefined;
    if (anchored.height > 0 && depth + anchored.height - 1 > this.#limits.maxDepth) return undefined;
    return { value: typeof anchored.value === 'object' && anchored.value !== null ? structuredClone(anchored.value) : anchored.value };
  }
}

function measure(value: unknown): { values: number; height: number } {
  if (typeof value !== 'object' || value === null) return { values: 1, height: 0 };
  let values = 1;
  let height = 0;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    const inner = measure(item);
    values += inner.values;
    height = Math.max(height, inner.height);
  }
  return { values, height: height + 1 };
}
