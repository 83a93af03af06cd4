/**
 * JSON with object keys sorted at every level, so that equal data always gives the same text whatever
 * order its keys were built in: the identity of a `union` member (`{a:1,b:2}` and `{b:2,a:1}` are one
 * member) and the input of run fingerprints. It follows JSON.stringify otherwise (`toJSON` is used, so a
 * Date counts by its time; `undefined` members are dropped), so that a value and its saved copy agree.
 * A bare `undefined`, which JSON cannot spell, is `undefined`, distinct from `null`.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'undefined';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return sortKeys((json as () => unknown).call(value));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}
