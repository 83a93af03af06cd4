import { createHash, hash } from 'node:crypto';
import { canonicalJson } from '../state/canonical-json.ts';

/** Everything that decides a step's (or fan-out item's) result, as far as the engine can know it. */
export interface FingerprintParts {
  stepId: string;
  itemIndex: number | undefined;
  agent: string;
  /** The agent's `version`: bumping it invalidates earlier results. */
  agentVersion: string;
  /** The resolved input (the step's `with:` after expressions). */
  input: unknown;
  /** Settings that change the output: state keys written, provider preference. */
  settings: { writes: readonly string[]; provider: string | undefined; fallback: readonly string[] };
  /** Each dependency's fingerprint, or `status:<status>` for one that did not succeed. */
  dependencies: readonly (readonly [id: string, fingerprint: string])[];
}

const VERSION = 'ucop-fingerprint-2';

/**
 * sha256 of the parts, one per line, each as JSON (the input as canonical JSON: keys sorted at every level).
 * Two runs give a step the same fingerprint exactly when its agent and version, resolved input,
 * output-affecting settings and its dependencies' fingerprints are the same; resume reuses an earlier result
 * only then. What an agent reads from outside its input (files it opens, the shared state read directly, the
 * network) is not covered: bump the agent's version or use `--from-step` when that changed.
 */
export function computeFingerprint(parts: FingerprintParts): string {
  // Written field by field rather than as the canonical JSON of `parts`: only the input can have keys in any
  // order, and sorting the fixed fields' keys for every unit cost more than the hash. JSON text has no raw
  // newline, so the lines cannot run into each other.
  // Empty lists and a missing provider (most steps) are spelled without calling JSON.stringify: the same text.
  const { writes, provider, fallback } = parts.settings;
  let text = `${VERSION}\n${JSON.stringify(parts.stepId)}\n${parts.itemIndex ?? 'null'}\n${JSON.stringify(parts.agent)}\n${JSON.stringify(parts.agentVersion)}\n`;
  text += `${canonicalJson(parts.input)}\n${writes.length === 0 ? '[]' : JSON.stringify(writes)}\n${provider === undefined ? 'null' : JSON.stringify(provider)}\n${fallback.length === 0 ? '[]' : JSON.stringify(fallback)}`;
  const dependencies = parts.dependencies;
  for (let i = 0; i < dependencies.length; i += 1) text += `\n${JSON.stringify(dependencies[i]![0])} ${dependencies[i]![1]}`;
  // The one-shot hash: a Hash object per unit cost four times as much (1.5 against 0.4 µs).
  return hash('sha256', text, 'hex');
}

/** The fingerprint of a fan-out step as its dependents see it: its items', in order. */
export function combineFingerprints(stepId: string, items: readonly string[]): string {
  const hash = createHash('sha256').update(VERSION).update('\nfan-out\n').update(stepId);
  for (const item of items) hash.update('\n').update(item);
  return hash.digest('hex');
}
