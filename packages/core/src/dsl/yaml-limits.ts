/** Limits applied while loading any YAML file (workflows and configuration alike). */
export interface YamlLimits {
  /**
   * Largest accepted file, in bytes, checked before parsing.
   * @default 1048576 (1 MiB)
   */
  maxBytes: number;
  /**
   * Most alias nodes (`*name`) a file may contain.
   * @default 100
   */
  maxAliasCount: number;
  /**
   * Most values that aliases may expand to in total: the guard against "billion laughs" files, where a few
   * aliases of aliases expand exponentially.
   * @default 10000
   */
  maxAliasExpansion: number;
  /**
   * Deepest nesting of maps and lists; the top-level map is depth 1.
   * @default 64
   */
  maxDepth: number;
}

export const DEFAULT_YAML_LIMITS: Readonly<YamlLimits> = Object.freeze({
  maxBytes: 1024 * 1024,
  maxAliasCount: 100,
  maxAliasExpansion: 10_000,
  maxDepth: 64,
});

/** Fills the limits that were not given with the defaults. */
export function resolveYamlLimits(limits: Partial<YamlLimits> = {}): YamlLimits {
  return { ...DEFAULT_YAML_LIMITS, ...definedOnly(limits) };
}

function definedOnly(limits: Partial<YamlLimits>): Partial<YamlLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as Partial<YamlLimits>;
}
