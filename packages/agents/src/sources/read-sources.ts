import type { StateView } from '@ucop/core';
import type { Source, SourceKind } from './source.ts';

const KINDS: ReadonlySet<string> = new Set<SourceKind>(['article', 'api', 'archive']);

function isSource(value: unknown): value is Source {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.title === 'string' &&
    typeof v.text === 'string' &&
    typeof v.source === 'string' &&
    typeof v.kind === 'string' &&
    KINDS.has(v.kind)
  );
}

/**
 * The sources in shared state, in state order. Lists are flattened one level, so the result is the same
 * whether the `append` reducer stored each written list's items or the lists themselves; anything that is
 * not a source (a plugin writing other data to the key) is skipped rather than failing the reader.
 */
export function readSources(state: StateView, key = 'sources'): Source[] {
  const value = state.get(key);
  if (!Array.isArray(value)) return [];
  const out: Source[] = [];
  for (const entry of value) {
    for (const item of Array.isArray(entry) ? entry : [entry]) if (isSource(item)) out.push(item);
  }
  return out;
}
